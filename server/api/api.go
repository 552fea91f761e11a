// Package api is the server's HTTPS front. For now it serves what a new
// computer needs before anything else: the school CA (whose fingerprint
// the installer checks) and a health check. The JSON API for the client
// (sessions, modules) builds on this listener.
package api

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"kaspel/server/directory"
	"kaspel/server/pki"
)

// Handler serves the HTTPS routes.
func Handler(dir *directory.Directory, pkiDir string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ca.crt", func(w http.ResponseWriter, r *http.Request) {
		data, err := os.ReadFile(filepath.Join(pkiDir, pki.CACertFile))
		if err != nil {
			http.Error(w, "CA not available", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/x-pem-file")
		w.Write(data)
	})
	mux.HandleFunc("GET /api/v1/health", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		s, err := dir.School(ctx)
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			json.NewEncoder(w).Encode(map[string]string{"status": "unavailable"})
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"status": "ok", "school": s.Name})
	})
	return mux
}

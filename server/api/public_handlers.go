package api

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"kaspel/server/pki"
)

func (s *Server) publicRoutes() {
	s.handle("GET", "/ca.crt", Access{Public: true}, s.caCert)
	s.handle("GET", "/api/v1/health", Access{Public: true}, s.health)
}

// caCert serves the school CA, which the installer accepts only when its
// fingerprint matches the one the admin typed.
func (s *Server) caCert(c *call) error {
	data, err := os.ReadFile(filepath.Join(s.PKIDir, pki.CACertFile))
	if err != nil {
		return err
	}
	c.w.Header().Set("Content-Type", "application/x-pem-file")
	_, err = c.w.Write(data)
	return err
}

func (s *Server) health(c *call) error {
	ctx, cancel := context.WithTimeout(c.ctx, 5*time.Second)
	defer cancel()
	school, err := s.Dir.School(ctx)
	if err != nil {
		return err
	}
	return c.ok(map[string]string{"status": "ok", "school": school.Name})
}

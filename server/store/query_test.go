package store

import "testing"

func TestIDsJSON(t *testing.T) {
	for _, tt := range []struct {
		ids  []int64
		want string
	}{{nil, "[]"}, {[]int64{7}, "[7]"}, {[]int64{1, -2, 30000000000}, "[1,-2,30000000000]"}} {
		if got := IDsJSON(tt.ids); got != tt.want {
			t.Errorf("IDsJSON(%v) = %s, want %s", tt.ids, got, tt.want)
		}
	}
}

package headerval

import (
	"errors"
	"testing"
)

func TestCheckValue(t *testing.T) {
	tests := []struct {
		in      string
		wantOff int // -1: valid
	}{
		{"", -1}, {"max-age=1; includeSubDomains", -1}, {"a\rb", 1}, {"a\nb", 1}, {"\x00", 0},
		{"tab\there", 3}, {"caf\xc3\xa9", 3}, {"\x7f", 0}, {"~!\"#", -1},
	}
	for _, tt := range tests {
		err := CheckValue(tt.in)
		var be *ByteError
		switch {
		case tt.wantOff < 0 && err != nil:
			t.Errorf("CheckValue(%q) = %v, want nil", tt.in, err)
		case tt.wantOff >= 0 && (!errors.As(err, &be) || be.Offset != tt.wantOff):
			t.Errorf("CheckValue(%q) = %v, want a ByteError at offset %d", tt.in, err, tt.wantOff)
		}
	}
}

func TestCheckAtom(t *testing.T) {
	for _, ok := range []string{"'self'", "https://a.example:443/p", "nonce-abc+/="} {
		if err := CheckAtom(ok); err != nil {
			t.Errorf("CheckAtom(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []string{"", "a b", "a;b", "a,b", "a\r\nb", "\x00"} {
		if CheckAtom(bad) == nil {
			t.Errorf("CheckAtom(%q) = nil, want an error", bad)
		}
	}
}

func TestIsToken(t *testing.T) {
	for in, want := range map[string]bool{"max-age": true, "X-Forwarded-Proto": true, "": false, "a b": false, "a=b": false, "a\"": false, "é": false} {
		if got := IsToken(in); got != want {
			t.Errorf("IsToken(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestIsBase64(t *testing.T) {
	for in, want := range map[string]bool{
		"abc+/w==": true, "abc-_w": true, "YWJj": true, "YQ=": true,
		"": false, "==": false, "a===": false, "ab+_": false, "a b": false, "a=b": false, "nonce.example": false,
	} {
		if got := IsBase64(in); got != want {
			t.Errorf("IsBase64(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestIsDigits(t *testing.T) {
	for in, want := range map[string]bool{"0": true, "31536000": true, "": false, "-1": false, "1e3": false, " 1": false} {
		if got := IsDigits(in); got != want {
			t.Errorf("IsDigits(%q) = %v, want %v", in, got, want)
		}
	}
}

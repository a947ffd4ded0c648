package directive

import "testing"

func TestQuoteByte(t *testing.T) {
	tests := []struct {
		c    byte
		want string
	}{
		{';', "';'"},
		{'\'', `'\''`},
		{'\r', `'\r'`},
		{0, `'\x00'`},
		{0x7f, `'\x7f'`},
		{0x80, "0x80"},
		{0xc2, "0xC2"},
		{0xff, "0xFF"},
	}
	for _, tt := range tests {
		if got := QuoteByte(tt.c); got != tt.want {
			t.Errorf("QuoteByte(%#x) = %s, want %s", tt.c, got, tt.want)
		}
	}
}

func TestFormatError(t *testing.T) {
	tests := []struct {
		path, reason, fix string
		want              string
	}{
		{"", "", "", "hsts"},
		{"", "r", "", "hsts: r"},
		{"max-age", "", "", "hsts.max-age"},
		{"max-age", "r", "", "hsts.max-age: r"},
		{"max-age", "r", "f", "hsts.max-age: r (f)"},
		{"", "", "f", "hsts (f)"},
	}
	for _, tt := range tests {
		if got := FormatError("hsts", tt.path, tt.reason, tt.fix); got != tt.want {
			t.Errorf("FormatError(%q, %q, %q) = %q, want %q", tt.path, tt.reason, tt.fix, got, tt.want)
		}
	}
}

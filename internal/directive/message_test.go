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

func TestGotError(t *testing.T) {
	tests := []struct {
		value, want string
	}{
		{"x", `max-age: want digits, got "x" (write 60)`},
		{"", `max-age: want digits, got an empty value (write 60)`},
	}
	for _, tt := range tests {
		if got := GotError("max-age", "want digits, got", tt.value, "write 60").Error(); got != tt.want {
			t.Errorf("GotError(%q) = %s, want %s", tt.value, got, tt.want)
		}
	}
}

package directive

import (
	"strconv"
	"testing"
	"time"
)

func TestParseSeconds(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr error
	}{
		{"0", 0, nil},
		{"31536000", 31536000 * time.Second, nil},
		{"007", 7 * time.Second, nil},
		{strconv.FormatInt(MaxSeconds, 10), time.Duration(MaxSeconds) * time.Second, nil},
		{strconv.FormatInt(MaxSeconds+1, 10), 0, ErrTooLarge},
		{"99999999999999999999", 0, ErrTooLarge},
		{"", 0, ErrNotSeconds},
		{"-1", 0, ErrNotSeconds},
		{"+1", 0, ErrNotSeconds},
		{"1.5", 0, ErrNotSeconds},
		{" 1", 0, ErrNotSeconds},
		{"1e3", 0, ErrNotSeconds},
	}
	for _, tt := range tests {
		got, err := ParseSeconds(tt.in)
		if got != tt.want || err != tt.wantErr {
			t.Errorf("ParseSeconds(%q) = %v, %v; want %v, %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
	if MaxSeconds != 9223372036 {
		t.Errorf("MaxSeconds = %d, want 9223372036", MaxSeconds)
	}
}

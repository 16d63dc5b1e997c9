package validate

import (
	"strconv"
	"strings"
	"testing"
)

// TestSurelyFloat64 checks the validator's shortcut against
// strconv.ParseFloat: it may answer false for a number in range, never
// true for one out of it.
func TestSurelyFloat64(t *testing.T) {
	var cases []string
	for _, mant := range []string{"0", "1", "9", "1.5", "0.0001", "179769313486231570", "18", "000"} {
		for _, sign := range []string{"", "-"} {
			cases = append(cases, sign+mant)
			for _, e := range []string{"e", "E", "e+", "e-", "E-"} {
				for _, x := range []string{"0", "1", "290", "291", "306", "307", "308", "309", "310", "999", "0308", "1000", "99999"} {
					cases = append(cases, sign+mant+e+x)
				}
			}
		}
	}
	cases = append(cases, "1"+strings.Repeat("0", 307), "1"+strings.Repeat("0", 308), "9"+strings.Repeat("9", 308)+".5", "0."+strings.Repeat("0", 400)+"1e300")
	fast := 0
	for _, c := range cases {
		_, err := strconv.ParseFloat(c, 64)
		if surelyFloat64([]byte(c)) {
			fast++
			if err != nil {
				t.Errorf("surelyFloat64(%s) = true, but ParseFloat says %v", c, err)
			}
		}
	}
	if fast < len(cases)/2 {
		t.Errorf("the shortcut answered only %d of %d cases", fast, len(cases))
	}
}

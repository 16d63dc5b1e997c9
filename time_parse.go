package lswebhook

import "time"

// parseTimeUTC reads the two forms Label Studio sends, in UTC:
// "2006-01-02T15:04:05" followed by an optional fraction of one or more
// digits (any beyond the ninth are read and dropped, as time.Parse does)
// and then "Z" or nothing. It returns the time time.Parse would return
// for s with one of timeLayouts, or false for any other string, which
// parseTimeLayouts then decides: the differential test and FuzzParseTime
// hold the two to that.
func parseTimeUTC(s string) (time.Time, bool) {
	const base = len("2006-01-02T15:04:05")
	if len(s) < base || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	year, ok1 := digits4(s[0], s[1], s[2], s[3])
	month, ok2 := digits2(s[5], s[6])
	day, ok3 := digits2(s[8], s[9])
	hour, ok4 := digits2(s[11], s[12])
	minute, ok5 := digits2(s[14], s[15])
	sec, ok6 := digits2(s[17], s[18])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) ||
		month < 1 || month > 12 || day < 1 || day > daysInMonth(month, year) ||
		hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	rest := s[base:]
	nsec := 0
	if len(rest) >= 2 && rest[0] == '.' && isDigit(rest[1]) {
		n := 1
		for ; n < len(rest) && isDigit(rest[n]); n++ {
			if n <= 9 { // the digits after the ninth count for nothing
				nsec = nsec*10 + int(rest[n]-'0')
			}
		}
		nsec *= pow10[9-min(n-1, 9)] // n-1 digits read
		rest = rest[n:]
	}
	if len(rest) > 1 || len(rest) == 1 && rest[0] != 'Z' {
		return time.Time{}, false
	}
	secs := daysSinceEpoch(year, month, day)*86400 + int64(hour*3600+minute*60+sec)
	return time.Unix(secs, int64(nsec)).UTC(), true
}

// pow10 are the powers of ten that scale a fraction of 0 to 9 digits to
// nanoseconds.
var pow10 = [10]int{1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// digits2 reads two decimal digits.
func digits2(a, b byte) (int, bool) {
	a, b = a-'0', b-'0'
	return int(a)*10 + int(b), a <= 9 && b <= 9
}

// digits4 reads four decimal digits.
func digits4(a, b, c, d byte) (int, bool) {
	hi, ok1 := digits2(a, b)
	lo, ok2 := digits2(c, d)
	return hi*100 + lo, ok1 && ok2
}

// daysInMonth is the length of month (1-12) of year in the proleptic
// Gregorian calendar time uses (year 0 is a leap year).
func daysInMonth(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysSinceEpoch returns the number of days from 1970-01-01 to the date,
// year 0-9999 (H. Hinnant's days_from_civil, for non-negative eras).
func daysSinceEpoch(year, month, day int) int64 {
	y := year
	if month <= 2 {
		y--
	}
	era := (y+400)/400 - 1 // floor(y / 400) for y >= -1
	yoe := y - era*400
	m := month + 9
	if month > 2 {
		m = month - 3
	}
	doy := (153*m+2)/5 + day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

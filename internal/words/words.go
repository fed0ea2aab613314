// Package words writes counts in English for messages: "1 action", "3
// actions", "22,091 actions".
package words

import "strconv"

// Count is n and the word for it: "1 call" or "3 calls" (one and many are
// the phrases for each, verbs included: "1 event maps", "3 events map").
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// Nouns is n, with thousands separators, and a noun made plural with "s":
// "1 action", "22,091 actions".
func Nouns(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return Thousands(n) + " " + noun + "s"
}

// Pick is the word for n without the number: one when n is 1.
func Pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Thousands writes n with thousands separators: 22,091.
func Thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

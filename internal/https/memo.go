package https

import "sync/atomic"

// memo remembers a few strings that passed a check with what the check
// made of them, so that the next request repeating one is not checked
// again: a string comparison instead of a parse. Decide keeps two: the
// Hosts it accepted (parseHTTPSHost and allowedHosts; nearly every request
// of a site names one of a few hosts), and the trusted proxies' addresses
// (proxy.Trust.TrustsPeer parses RemoteAddr; behind a proxy every request
// comes from one of a few). A Gate is immutable, so what it accepted once
// it accepts again.
//
// A slot is chosen by the length of the key; storing replaces that slot's
// entry (one small allocation), so keys that keep changing cost garbage,
// never memory that grows. Only what passed is stored: a client cannot
// fill the memo with refused values. The zero value is empty; a memo is
// safe for concurrent use. Measured in bench/ (paired.sh, cases nonce and
// static): together they were a quarter of the engine's time on a
// request from a trusted proxy.
type memo[T any] struct {
	slots [4]atomic.Pointer[memoEntry[T]]
}

type memoEntry[T any] struct {
	key string
	val T
}

// lookup returns what was stored for key, if it is still there, or nil.
// The value is shared: read it, never write it.
func (m *memo[T]) lookup(key string) *T {
	if e := m.slots[len(key)%len(m.slots)].Load(); e != nil && e.key == key {
		return &e.val
	}
	return nil
}

// store remembers val for key.
func (m *memo[T]) store(key string, val T) {
	m.slots[len(key)%len(m.slots)].Store(&memoEntry[T]{key: key, val: val})
}

package hdrset

import (
	"crypto/rand"
	"sync"
)

// randomBlock is a block of crypto/rand bytes handed out NonceBytes at a
// time: one call to crypto/rand.Read per 64 nonces instead of one per
// nonce, whose fixed cost is most of a 16-byte read (BenchmarkNonceBytes:
// 89-138 ns per nonce read one by one, 64-91 ns from a block, on the
// shared 2-core machine; go test -run '^$' -bench NonceBytes -count 3
// ./internal/hdrset/). A block is held by one goroutine at a time
// (randomBlocks), every byte goes to one nonce only, and a byte handed out
// is zeroed in the block.
type randomBlock struct {
	b   [64 * NonceBytes]byte
	off int // b[off:] is unused; len(b) when the block must be refilled
}

var randomBlocks = sync.Pool{New: func() any { return &randomBlock{off: len(randomBlock{}.b)} }}

// nonceBytes fills dst (NonceBytes long) with fresh random bytes. Safe for
// concurrent use.
func nonceBytes(dst []byte) {
	blk := randomBlocks.Get().(*randomBlock)
	blk.take(dst)
	randomBlocks.Put(blk)
}

// take fills dst with the block's next NonceBytes unused bytes, refilling
// the block first when it has none left, and zeroes them in the block.
func (blk *randomBlock) take(dst []byte) {
	if blk.off == len(blk.b) {
		rand.Read(blk.b[:]) // never fails (Go 1.24+: it crashes the program instead)
		blk.off = 0
	}
	src := blk.b[blk.off : blk.off+NonceBytes]
	copy(dst, src)
	clear(src)
	blk.off += NonceBytes
}

package secureheaders

import (
	"context"

	"github.com/secureheaders/secureheaders/internal/hdrset"
)

// reqState is everything one request needs, in one allocation: the context
// that carries the nonce, and the backing arrays of the header slices and
// of the nonce-bearing values. It is allocated as one of the sized
// wrappers below, chosen for the set the request is served (newReqState),
// so a small policy does not pay for a large array and no request pays for
// another route's headers.
//
// It is also the request's context (it embeds the parent), so attaching it
// costs no allocation of its own. It is written only by the engine's layers
// (Handler, then any Route wrappers), in the request's goroutine, before the
// application handler runs; from then on it is only read.
type reqState struct {
	context.Context
	nonce   string         // the response's CSP nonce; "" without a nonce slot
	variant hdrset.Variant // the header variant the response gets
	eng     *Engine
	st      *state
	layer   *layer         // the layer whose set's headers are in the response
	sc      hdrset.Scratch // what is left of the header slots and value bytes
}

// stateKey is the context key of the request's *reqState.
type stateKey struct{}

// Value returns s for stateKey and defers to the parent for any other key.
func (s *reqState) Value(key any) any {
	if key == (stateKey{}) {
		return s
	}
	return s.Context.Value(key)
}

// stateFrom returns the engine's state of a request context, or nil.
func stateFrom(ctx context.Context) *reqState {
	s, _ := ctx.Value(stateKey{}).(*reqState)
	return s
}

// newReqState allocates a state with at least slots header slots and buf
// value bytes, in one allocation up to 32 slots and 2048 bytes (a larger
// need gets the arrays it needs, separately).
func newReqState(slots, buf int) *reqState {
	vi := classOf(slots, slotClasses[:])
	bi := classOf(buf, bufClasses[:])
	if vi < 0 || bi < 0 {
		return &reqState{sc: hdrset.Scratch{Vals: make([]string, slots), Buf: make([]byte, buf)}}
	}
	return stateMakers[vi][bi]()
}

// The size classes of newReqState: header slots, and value bytes in
// steps of 32 up to 256 and of 64 up to 512, the sizes of Go's own
// allocator classes there, so a class wastes little of the allocation. On
// the bench policy (seven headers, a 128-byte CSP with its nonce, 144
// bytes of buffer with the random bytes) the state is one 416-byte
// allocation: 112 bytes of state, 8 slots, 160 bytes.
var (
	slotClasses = [...]int{4, 8, 12, 16, 24, 32}
	bufClasses  = [...]int{0, 64, 96, 128, 160, 192, 224, 256, 320, 384, 448, 512, 768, 1024, 1536, 2048}
)

// classOf returns the index of the smallest class that holds n, or -1.
func classOf(n int, classes []int) int {
	for i, c := range classes {
		if n <= c {
			return i
		}
	}
	return -1
}

// stateMakers allocate a sizedState by class: [slot class][buf class].
var stateMakers = [len(slotClasses)][len(bufClasses)]func() *reqState{
	{newSized[vals4, buf0], newSized[vals4, buf64], newSized[vals4, buf96], newSized[vals4, buf128], newSized[vals4, buf160], newSized[vals4, buf192], newSized[vals4, buf224], newSized[vals4, buf256], newSized[vals4, buf320], newSized[vals4, buf384], newSized[vals4, buf448], newSized[vals4, buf512], newSized[vals4, buf768], newSized[vals4, buf1024], newSized[vals4, buf1536], newSized[vals4, buf2048]},
	{newSized[vals8, buf0], newSized[vals8, buf64], newSized[vals8, buf96], newSized[vals8, buf128], newSized[vals8, buf160], newSized[vals8, buf192], newSized[vals8, buf224], newSized[vals8, buf256], newSized[vals8, buf320], newSized[vals8, buf384], newSized[vals8, buf448], newSized[vals8, buf512], newSized[vals8, buf768], newSized[vals8, buf1024], newSized[vals8, buf1536], newSized[vals8, buf2048]},
	{newSized[vals12, buf0], newSized[vals12, buf64], newSized[vals12, buf96], newSized[vals12, buf128], newSized[vals12, buf160], newSized[vals12, buf192], newSized[vals12, buf224], newSized[vals12, buf256], newSized[vals12, buf320], newSized[vals12, buf384], newSized[vals12, buf448], newSized[vals12, buf512], newSized[vals12, buf768], newSized[vals12, buf1024], newSized[vals12, buf1536], newSized[vals12, buf2048]},
	{newSized[vals16, buf0], newSized[vals16, buf64], newSized[vals16, buf96], newSized[vals16, buf128], newSized[vals16, buf160], newSized[vals16, buf192], newSized[vals16, buf224], newSized[vals16, buf256], newSized[vals16, buf320], newSized[vals16, buf384], newSized[vals16, buf448], newSized[vals16, buf512], newSized[vals16, buf768], newSized[vals16, buf1024], newSized[vals16, buf1536], newSized[vals16, buf2048]},
	{newSized[vals24, buf0], newSized[vals24, buf64], newSized[vals24, buf96], newSized[vals24, buf128], newSized[vals24, buf160], newSized[vals24, buf192], newSized[vals24, buf224], newSized[vals24, buf256], newSized[vals24, buf320], newSized[vals24, buf384], newSized[vals24, buf448], newSized[vals24, buf512], newSized[vals24, buf768], newSized[vals24, buf1024], newSized[vals24, buf1536], newSized[vals24, buf2048]},
	{newSized[vals32, buf0], newSized[vals32, buf64], newSized[vals32, buf96], newSized[vals32, buf128], newSized[vals32, buf160], newSized[vals32, buf192], newSized[vals32, buf224], newSized[vals32, buf256], newSized[vals32, buf320], newSized[vals32, buf384], newSized[vals32, buf448], newSized[vals32, buf512], newSized[vals32, buf768], newSized[vals32, buf1024], newSized[vals32, buf1536], newSized[vals32, buf2048]},
}

// sizedState is a reqState with its arrays in the same allocation.
type sizedState[V, B any] struct {
	reqState
	vals V
	buf  B
}

// slotArray and byteArray are the arrays of a sizedState, by pointer.
type slotArray[T any] interface {
	*T
	slots() []string
}

type byteArray[T any] interface {
	*T
	bytes() []byte
}

func newSized[V, B any, PV slotArray[V], PB byteArray[B]]() *reqState {
	s := &sizedState[V, B]{}
	s.sc.Vals = PV(&s.vals).slots()
	s.sc.Buf = PB(&s.buf).bytes()
	return &s.reqState
}

// The arrays of the classes.
type (
	vals4   [4]string
	vals8   [8]string
	vals12  [12]string
	vals16  [16]string
	vals24  [24]string
	vals32  [32]string
	buf0    struct{}
	buf64   [64]byte
	buf96   [96]byte
	buf128  [128]byte
	buf160  [160]byte
	buf192  [192]byte
	buf224  [224]byte
	buf256  [256]byte
	buf320  [320]byte
	buf384  [384]byte
	buf448  [448]byte
	buf512  [512]byte
	buf768  [768]byte
	buf1024 [1024]byte
	buf1536 [1536]byte
	buf2048 [2048]byte
)

func (a *vals4) slots() []string  { return a[:] }
func (a *vals8) slots() []string  { return a[:] }
func (a *vals12) slots() []string { return a[:] }
func (a *vals16) slots() []string { return a[:] }
func (a *vals24) slots() []string { return a[:] }
func (a *vals32) slots() []string { return a[:] }
func (*buf0) bytes() []byte       { return nil }
func (a *buf64) bytes() []byte    { return a[:] }
func (a *buf96) bytes() []byte    { return a[:] }
func (a *buf128) bytes() []byte   { return a[:] }
func (a *buf160) bytes() []byte   { return a[:] }
func (a *buf192) bytes() []byte   { return a[:] }
func (a *buf224) bytes() []byte   { return a[:] }
func (a *buf256) bytes() []byte   { return a[:] }
func (a *buf320) bytes() []byte   { return a[:] }
func (a *buf384) bytes() []byte   { return a[:] }
func (a *buf448) bytes() []byte   { return a[:] }
func (a *buf512) bytes() []byte   { return a[:] }
func (a *buf768) bytes() []byte   { return a[:] }
func (a *buf1024) bytes() []byte  { return a[:] }
func (a *buf1536) bytes() []byte  { return a[:] }
func (a *buf2048) bytes() []byte  { return a[:] }

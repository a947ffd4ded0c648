package secureheaders

// RoutePatterns returns the patterns of Options.Routes in effect, in the
// order given there: with Policy and RoutePolicy, what report.NewDashboard
// reads (an *Engine is a report.PolicySource). The slice is new on each
// call.
func (s *Engine) RoutePatterns() []string {
	st := s.state.Load()
	if st == nil {
		return nil
	}
	out := make([]string, 0, len(st.patterns))
	for _, r := range st.patterns {
		out = append(out, r.Pattern)
	}
	return out
}

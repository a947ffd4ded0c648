package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/secureheaders/secureheaders/internal/jsontree"
	"github.com/secureheaders/secureheaders/report"
)

// Bounds of what reports reads, so a hostile or huge input costs bounded
// memory: one JSON line, or one whole body or snapshot.
const (
	reportsMaxLine = 1 << 20
	reportsMaxBody = 64 << 20
	// reportsMaxGroups bounds the groups reports and suggest keep (the
	// rarest are evicted past it, and counted). 100,000 reports with
	// distinct blocked origins and 2 KB fields (a 624 MB log): 10,000 groups
	// kept, 152 MB of maximum RSS for reports and 161 MB for suggest, where
	// 100,000 groups took 1.1 GB (docs/reports.md has the commands).
	reportsMaxGroups = 10_000
)

// runReports summarises violation reports from files (or "-" for standard
// input): the JSON lines the default log sink writes through slog's JSON
// handler, raw application/csp-report and application/reports+json bodies,
// and snapshots written by "reports -json" (which it merges).
func runReports(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("reports", stderr)
	asJSON := fs.Bool("json", false, "print the merged snapshot as JSON (reports reads it back)")
	hosts := fs.String("hosts", "", "comma-separated hosts of your own documents (example.com,*.example.com): reports about other hosts are noise")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: secureheaders reports [-json] [-hosts LIST] [FILE…|-]")
		fs.PrintDefaults()
	}
	if code, ok := parseArgs(fs, args, 0, -1); !ok {
		return code
	}
	var allowed []string
	if *hosts != "" {
		allowed = strings.Split(*hosts, ",")
	}
	agg, err := report.NewAggregator(report.AggregatorOptions{AllowedHosts: allowed, MaxGroups: reportsMaxGroups})
	if err != nil {
		printErrors(stderr, "secureheaders reports", err)
		return 1
	}
	merged, ok := collectReports("secureheaders reports", fs.Args(), agg, stderr)
	if !ok {
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(merged); err != nil {
			fmt.Fprintf(stderr, "secureheaders reports: %v\n", err)
			return 1
		}
		return 0
	}
	printGroups(stdout, merged)
	return 0
}

// collectReports reads the report files (none: standard input) into agg
// and returns agg's groups merged with the snapshots the files held. It
// prints why it fails, prefixed with cmd, and reports whether it did not.
func collectReports(cmd string, files []string, agg *report.Aggregator, stderr io.Writer) (report.Snapshot, bool) {
	if len(files) == 0 {
		files = []string{"-"}
	}
	snaps := []report.Snapshot{}
	for _, name := range files {
		s, ok := readReportFile(cmd, name, agg, stderr)
		if !ok {
			return report.Snapshot{}, false
		}
		snaps = append(snaps, s...)
	}
	if len(snaps) == 0 {
		return agg.Snapshot(), true
	}
	merged, err := report.Merge(0, append([]report.Snapshot{agg.Snapshot()}, snaps...)...)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
		return report.Snapshot{}, false
	}
	return merged, true
}

// readReportFile reads one file ("-": standard input) with readReports.
func readReportFile(cmd, name string, agg *report.Aggregator, stderr io.Writer) ([]report.Snapshot, bool) {
	var r io.Reader = os.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
			return nil, false
		}
		defer f.Close()
		r = f
	}
	s, skipped, err := readReports(r, agg)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s: %v\n", cmd, name, err)
		return nil, false
	}
	switch {
	case skipped == 1:
		fmt.Fprintf(stderr, "%s: %s: 1 line is not a report log line, skipped\n", cmd, name)
	case skipped > 1:
		fmt.Fprintf(stderr, "%s: %s: %d lines are not report log lines, skipped\n", cmd, name, skipped)
	}
	return s, true
}

// readReports adds what r holds to agg and returns the snapshots it held,
// and how many lines of a log it skipped.
func readReports(r io.Reader, agg *report.Aggregator) (snaps []report.Snapshot, skipped int, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	first, err := firstByte(br)
	if err == io.EOF {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	ctx := context.Background()
	if first == '[' { // a Reporting API body
		body, err := readRest(br)
		if err != nil {
			return nil, 0, err
		}
		reports, err := report.Decode("application/reports+json", body)
		if err != nil {
			return nil, 0, err
		}
		for _, rep := range reports {
			agg.Add(ctx, rep)
		}
		return nil, 0, nil
	}
	// A whole document (a snapshot, a legacy body, pretty-printed or not),
	// or JSON lines: read the first line and see whether it stands alone.
	line, err := readLine(br)
	if err != nil && err != io.EOF {
		return nil, 0, err
	}
	if !json.Valid(line) {
		rest, err := readRest(br)
		if err != nil {
			return nil, 0, err
		}
		doc := append(line, rest...)
		s, err := addDocument(ctx, agg, doc)
		if err != nil {
			return nil, 0, err
		}
		return s, 0, nil
	}
	for {
		if len(bytes.TrimSpace(line)) > 0 {
			s, ok, derr := addLine(ctx, agg, line)
			switch {
			case derr != nil:
				return nil, 0, derr
			case !ok:
				skipped++
			case s != nil:
				snaps = append(snaps, *s)
			}
		}
		if err == io.EOF {
			return snaps, skipped, nil
		}
		if line, err = readLine(br); err != nil && err != io.EOF {
			return nil, 0, err
		}
	}
}

// addDocument adds a whole JSON document: a snapshot or a legacy body.
func addDocument(ctx context.Context, agg *report.Aggregator, doc []byte) ([]report.Snapshot, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(doc, &probe); err != nil {
		if _, perr := jsontree.Parse(doc); perr != nil {
			// Where the document breaks (a truncated body, a stray byte).
			return nil, fmt.Errorf("neither JSON lines nor a JSON report body or snapshot: %v", perr)
		}
		return nil, errors.New("neither JSON lines nor a JSON report body or snapshot")
	}
	if _, ok := probe["version"]; ok {
		s, err := report.DecodeSnapshot(doc)
		if err != nil {
			return nil, err
		}
		return []report.Snapshot{s}, nil
	}
	reports, err := report.Decode("application/csp-report", doc)
	if err != nil {
		return nil, err
	}
	for _, rep := range reports {
		agg.Add(ctx, rep)
	}
	return nil, nil
}

// addLine adds one JSON line: a log line of the default sink ("csp
// violation" or "browser report"), a legacy body or a snapshot on one line.
// ok is false for any other line.
func addLine(ctx context.Context, agg *report.Aggregator, line []byte) (*report.Snapshot, bool, error) {
	var probe struct {
		Msg       string          `json:"msg"`
		Version   json.RawMessage `json:"version"`
		CSPReport json.RawMessage `json:"csp-report"`
	}
	if err := json.Unmarshal(line, &probe); err != nil {
		return nil, false, nil
	}
	switch {
	case probe.Version != nil:
		s, err := report.DecodeSnapshot(line)
		if err != nil {
			return nil, false, err
		}
		return &s, true, nil
	case probe.CSPReport != nil:
		reports, err := report.Decode("application/csp-report", line)
		if err != nil {
			return nil, false, nil
		}
		for _, rep := range reports {
			agg.Add(ctx, rep)
		}
		return nil, true, nil
	case probe.Msg == "csp violation" || probe.Msg == "browser report":
		var rep report.Report
		if err := json.Unmarshal(line, &rep); err != nil {
			return nil, false, nil
		}
		agg.Add(ctx, rep)
		return nil, true, nil
	}
	return nil, false, nil
}

// printGroups writes the groups as a table, largest first, noise last.
func printGroups(w io.Writer, s report.Snapshot) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "COUNT\tDISPOSITION\tDIRECTIVE\tBLOCKED\tPATH\tNOISE")
	for _, g := range s.Groups {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", g.Count, cell(g.Disposition), cell(g.Directive), cell(g.Blocked), cell(g.Path), cell(string(g.Noise)))
	}
	tw.Flush()
	fmt.Fprintf(w, "%d reports in %d groups", s.Reports, len(s.Groups))
	if s.Ignored > 0 {
		fmt.Fprintf(w, ", %d not CSP violations", s.Ignored)
	}
	if s.Evicted > 0 {
		fmt.Fprintf(w, ", %d groups evicted", s.Evicted)
	}
	fmt.Fprintln(w)
}

// cell prints a field of a report as is when it is printable ASCII without
// spaces, and quoted otherwise, so a hostile report cannot write control
// bytes or Unicode tricks (U+202E) to the terminal or break the columns.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f || s[i] == '"' {
			return strconv.QuoteToASCII(s)
		}
	}
	return s
}

func firstByte(br *bufio.Reader) (byte, error) {
	for {
		c, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return c, br.UnreadByte()
		}
	}
}

// readLine reads one line of at most reportsMaxLine bytes.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > reportsMaxLine {
			return nil, fmt.Errorf("a line is longer than %d bytes", reportsMaxLine)
		}
		if err != bufio.ErrBufferFull {
			return line, err
		}
	}
}

// readRest reads the rest of br, at most reportsMaxBody bytes.
func readRest(br *bufio.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(br, reportsMaxBody+1))
	if err != nil {
		return nil, err
	}
	if len(data) > reportsMaxBody {
		return nil, fmt.Errorf("the input is longer than %d bytes", reportsMaxBody)
	}
	return data, nil
}

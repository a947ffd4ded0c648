// grade.mjs runs the real graders on a whole corpus in one process, for the
// differential tests in graders_test.go. It reads one JSON object on stdin:
//
//	{"csps": ["default-src 'self'", ...],
//	 "headerSets": [{"name": "...", "headers": [["Name", "value"], ...], "body": "<!DOCTYPE html>..."}, ...]}
//
// and writes one JSON object on stdout:
//
//	{"csps": [[{"severity": "HIGH", "directive": "script-src", "value": "*", "description": "..."}], ...],
//	 "headerSets": [{"grade": "A+", "score": 125, "tests": {"content-security-policy": {"result": "...", "scoreModifier": 5}}}, ...]}
//
// CSP Evaluator (npm csp_evaluator) is run as its README shows. The
// Observatory (npm @mdn/mdn-http-observatory) is run offline: its scan()
// fetches a host name on ports 80 and 443, so instead this builds the
// Requests object its analyzer tests take, for a site answering
// https://example.com/ with the given headers (HTTP 200, a trusted
// certificate, the set's body or an empty HTML page) and whose http:// URL redirects there
// with a 301, and scores the results as scan() does.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const observatoryDir = path.join(here, "node_modules", "@mdn", "mdn-http-observatory");

// The Observatory's postinstall downloads Chromium's HSTS preload list into
// conf/hsts-preload.json; installs run with --ignore-scripts, so give it an
// empty list (no host of the corpus is preloaded; example.com is not).
const preload = path.join(observatoryDir, "conf", "hsts-preload.json");
if (!fs.existsSync(preload)) {
  fs.writeFileSync(preload, "{}\n");
}

const { CspEvaluator } = await import("csp_evaluator/dist/evaluator.js");
const { CspParser } = await import("csp_evaluator/dist/parser.js");
const { Severity } = await import("csp_evaluator/dist/finding.js");
const { AxiosHeaders } = await import("axios");
const obs = (p) => import(path.join(observatoryDir, "src", p));
const { ALL_TESTS } = await obs("constants.js");
const { Requests } = await obs("types.js");
const { Session } = await obs("retriever/session.js");
const { MINIMUM_SCORE_FOR_EXTRA_CREDIT } = await obs("grader/charts.js");
const { getGradeForScore, getScoreModifier } = await obs("grader/grader.js");
const { parseHttpEquivHeaders } = await obs("retriever/utils.js");

const severityName = Object.fromEntries(
  Object.entries(Severity).filter(([, v]) => typeof v === "number").map(([k, v]) => [v, k]),
);

function evaluateCSP(text) {
  const parsed = new CspParser(text).csp;
  return new CspEvaluator(parsed).evaluate().map((f) => ({
    severity: severityName[f.severity] ?? String(f.severity),
    directive: f.directive,
    value: f.value ?? "",
    description: f.description,
  }));
}

const site = "https://example.com/";
const emptyPage = "<!DOCTYPE html><html><head><title>t</title></head><body></body></html>";

function response(headers, page) {
  return {
    headers,
    request: { headers: new AxiosHeaders() },
    status: 200,
    statusText: "OK",
    verified: true,
    data: page ?? "",
    config: { headers: new AxiosHeaders() },
  };
}

function observatory(pairs, body) {
  const page = body || emptyPage;
  const headers = new AxiosHeaders();
  headers.set("Content-Type", "text/html; charset=utf-8");
  const cookies = [];
  for (const [name, value] of pairs ?? []) {
    if (name.toLowerCase() === "set-cookie") {
      cookies.push(value);
      continue;
    }
    const prev = headers.get(name);
    // Repeated fields are combined as a fetch client sees them.
    headers.set(name, prev ? `${prev}, ${value}` : value);
  }
  if (cookies.length) {
    headers.set("Set-Cookie", cookies);
  }
  const req = new Requests("example.com");
  req.resources.path = page;
  req.responses.auto = response(headers, page);
  req.responses.auto.httpEquiv = parseHttpEquivHeaders(page, site);
  req.responses.https = req.responses.auto;
  req.responses.http = response(new AxiosHeaders());
  // The CORS preflight: "{origin}" in a header value is the Origin it sends.
  const corsOrigin = "https://http-observatory.security.mozilla.org";
  const corsHeaders = new AxiosHeaders();
  for (const [name, value] of Object.entries(headers)) {
    corsHeaders.set(name, typeof value === "string" ? value.replaceAll("{origin}", corsOrigin) : value);
  }
  req.responses.cors = {
    ...response(corsHeaders),
    request: { headers: new AxiosHeaders({ Origin: corsOrigin }) },
    verified: true,
  };
  req.responses.httpRedirects = [
    { url: new URL("http://example.com/"), status: 301 },
    { url: new URL(site), status: 200 },
  ];
  req.responses.httpsRedirects = [{ url: new URL(site), status: 200 }];
  req.session = new Session(new URL(site));
  for (const c of cookies) {
    try {
      req.session.jar.setCookieSync(c, site);
    } catch {
      // A cookie the jar refuses (another domain…) is not stored, as in a scan.
    }
  }

  // Scored as scanner/index.js scores a scan.
  let withCredit = 100;
  let uncurved = 100;
  const tests = {};
  for (const test of ALL_TESTS) {
    const r = test(req);
    const modifier = r.result ? getScoreModifier(r.result) : 0;
    withCredit += modifier;
    if (modifier < 0) {
      uncurved += modifier;
    }
    tests[r.constructor.name] = { result: r.result, pass: r.pass, scoreModifier: modifier };
  }
  const final = getGradeForScore(uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withCredit : uncurved);
  return { grade: final.grade, score: final.score, tests };
}

const input = JSON.parse(fs.readFileSync(0, "utf8"));
const out = {
  csps: (input.csps ?? []).map(evaluateCSP),
  headerSets: (input.headerSets ?? []).map((h) => observatory(h.headers, h.body)),
};
process.stdout.write(JSON.stringify(out) + "\n");

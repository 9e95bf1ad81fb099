#!/usr/bin/env bash
# tests/server/run.sh QALA — drives a real `qala serve` on a free port with curl: the shape
# of every endpoint on the demo data, the error statuses (400, 401, 404, 405, 413, 422),
# path traversal attempts, uploads with and without a token (nothing stored without),
# the access log, SIGTERM with a request in flight (answered, then a clean exit), and
# without --web the embedded dashboard with GET /api/report (cached until a write).
set -uo pipefail
QALA=$(realpath "${1:?usage: run.sh QALA}")
pid=
PY=/usr/bin/python3
dir=$(mktemp -d /tmp/qala-server-test-XXXXXX)
trap '[[ -n $pid ]] && kill -9 $pid 2>/dev/null; rm -rf "$dir"' EXIT
cd "$dir"
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

"$QALA" demo --db demo.db >/dev/null 2>&1 || { echo "qala demo failed"; exit 1; }
token=$("$QALA" token create --name tester --db demo.db 2>/dev/null)
[[ $token =~ ^[0-9a-f]{64}$ ]] && ok "token create prints 64 hex digits" || bad "token: '$token'"

mkdir -p web/sub && echo '<h1>front</h1>' > web/index.html && echo 'body{}' > web/sub/style.css
echo 'top secret' > secret.txt && ln -s ../secret.txt web/leak.txt

start() { # start ARGS...: a server on a free port; sets pid and base
    "$QALA" serve --db demo.db --listen 127.0.0.1:0 --access-log access.log "$@" > out.txt 2> err.txt &
    pid=$!
    for _ in $(seq 100); do grep -q listening out.txt 2>/dev/null && break; sleep 0.05; done
    base="http://$(grep -o '127.0.0.1:[0-9]*' out.txt)"
    [[ $base == http://127.0.0.1:* ]] || { echo "server did not start"; cat out.txt err.txt; exit 1; }
}
start --web web --max-body 4096 --threads 2

# status URL [curl args...]: the HTTP status; the body in body.json
status() { local url=$1; shift; curl -s -o body.json -w '%{http_code}' "$@" "$base$url"; }
# expect CODE URL [curl args...]
expect() { local code=$1 url=$2; shift 2; local got; got=$(status "$url" "$@")
    [[ $got == "$code" ]] && ok "$code $url" || { bad "$url: expected $code, got $got: $(head -c 300 body.json)"; }; }
# shape PYTHON-EXPRESSION: asserts on the JSON of body.json (bound to j)
shape() { $PY -c "import json,sys; j=json.load(open('body.json')); sys.exit(0 if ($1) else 1)" 2>/dev/null \
    && ok "  shape: $1" || bad "  shape: $1: $(head -c 300 body.json)"; }
is_error() { shape "j['error']['status'] == $1 and len(j['error']['message']) > 0"; }

# ---- every endpoint on the demo data ----
expect 200 /api/
shape "j['name'] == 'qala' and j['schema'] == 3 and j['counts']['observations'] > 1000 and 'GET /api/index' in j['endpoints']"
expect 200 "/api/units?kind=city&group=monocity"
shape "len(j['units']) > 10 and all(u['kind'] == 'city' and 'monocity' in u['groups'] for u in j['units'])"
expect 200 "/api/units?lang=ru&kind=region"
shape "any(u['code'] == 'KZ-AKM' and u['name'] == u['names']['ru'] for u in j['units'])"
expect 200 /api/units/KZ-TEMIRTAU
shape "j['code'] == 'KZ-TEMIRTAU' and j['region'] == 'KZ-KAR' and len(j['name_history']) >= 3 and 'group_history' in j"
expect 200 /api/groups
shape "[g['code'] for g in j['groups']] == ['monocity', 'agglomeration', 'smart_city'] and len(j['groups'][0]['members']) > 20"
expect 200 "/api/indicators?domain=labour"
shape "len(j['indicators']) > 0 and all(i['domain'] == 'labour' for i in j['indicators']) and j['indicators'][0]['direction'] in (1, -1)"
expect 200 "/api/observations?indicator=population&unit=KZ-AKM&from=2020&to=2022"
shape "j['total'] == 3 and [o['period'] for o in j['observations']] == ['2020', '2021', '2022'] and all(o['value'] > 0 for o in j['observations'])"
expect 200 "/api/observations?limit=5&offset=10"
shape "len(j['observations']) == 5 and j['total'] > 1000 and j['offset'] == 10"
expect 200 /api/batches
shape "len(j['batches']) == 10 and len(j['batches'][0]['sha256']) == 64"
expect 200 /api/monitor
shape "j['period'] == '2022' and j['counts']['crisis'] + j['counts']['warning'] > 0 and {c['zone'] for c in j['rows']} <= {'no_data', 'normal', 'warning', 'crisis'} and len(j['thresholds']) > 0"
expect 200 "/api/monitor?kind=region&domain=labour"
shape "all(c['indicator'] in [t['indicator'] for t in j['thresholds']] for c in j['rows']) and all(u['kind'] == 'region' for u in j['units'])"
expect 200 /api/alerts
shape "j['count'] == len(j['alerts']) > 0 and all(a['zone'] in ('warning', 'crisis') for a in j['alerts']) and [a['zone'] for a in j['alerts']] == sorted([a['zone'] for a in j['alerts']])"
expect 200 "/api/alerts?all=1"
shape "j['all'] is True and j['period'] is None and len({a['period'] for a in j['alerts']}) > 1"
expect 200 /api/index
shape "j['spec'] == 'city-development' and j['from'] == '2022' and len(j['periods'][0]['units']) > 10 and sorted(u['rank'] for u in j['periods'][0]['units'] if u['rank'] is not None)[0] == 1"
expect 200 "/api/index?kind=region&level=2"
shape "all(len(u['scores']) > 0 for u in j['periods'][0]['units'])"
expect 200 "/api/inequality?indicator=grp_per_capita_kzt_thousand&by=region"
shape "0 < j['summary']['gini'] < 1 and j['weights'] == 'population' and j['n_units'] >= 14"
expect 200 "/api/inequality?indicator=unemployment_ilo_pct&unweighted=1&by=kind"
shape "j['weights'] is None and 'decomposition' in j and abs(j['decomposition']['theil_t']['total'] - j['decomposition']['theil_t']['within'] - j['decomposition']['theil_t']['between']) < 1e-9"
expect 200 "/api/trends?indicator=population"
shape "len(j['units']) >= 14 and sum(j['counts'].values()) == len(j['units']) and j['direction'] == 1"
expect 200 "/api/sensitivity?n=20&seed=3"
shape "j['runs'] == 20 and j['seed'] == 3 and all(u['q05'] is None or u['q05'] <= u['median'] <= u['q95'] for u in j['units'])"
expect 200 /api/annotations
shape "j['annotations'] == []"

# ---- errors ----
expect 400 "/api/units?bogus=1"; is_error 400
expect 400 "/api/monitor?period=2022-13"; is_error 400
expect 400 "/api/units?kind=village"; is_error 400
expect 400 "/api/observations?limit=0"; is_error 400
expect 400 "/api/observations?unit=KZ-NOWHERE"; is_error 400
expect 400 "/api/inequality"; is_error 400
expect 400 "/api/index?spec=nosuch"; is_error 400
expect 404 /api/nosuch; is_error 404
expect 404 /api/units/KZ-NOWHERE; is_error 404
expect 405 /api/units -X DELETE; is_error 405
allow=$(curl -s -D - -o /dev/null -X PUT "$base/api/annotations" | tr -d '\r' | grep -i '^allow:')
[[ $allow == "Allow: GET, HEAD, POST" ]] && ok "405 says Allow: GET, HEAD, POST" || bad "Allow header: '$allow'"
expect 405 /api/import; is_error 405
expect 405 /index.html -X POST; is_error 405

# ---- static files and traversal ----
expect 200 /
grep -q front body.json && ok "  / is web/index.html" || bad "/ is not web/index.html"
expect 200 /sub/style.css
expect 404 /nosuch.html
for p in /../../etc/passwd /%2e%2e/%2e%2e/etc/passwd /sub/../../secret.txt /%2E%2E/secret.txt /leak.txt "/..%2fsecret.txt" /sub/%2e%2e/%2e%2e/etc/passwd; do
    code=$(curl -s --path-as-is -o body.json -w '%{http_code}' "$base$p")
    if [[ $code == 404 ]] && ! grep -q -e 'top secret' -e 'root:' body.json; then ok "404 $p"; else bad "traversal $p: $code $(head -c 100 body.json)"; fi
done

# ---- writes ----
count() { curl -s "$base/api/observations?indicator=unemployment_ilo_pct&limit=1" | $PY -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }
before=$(count)
csv=$'unit,indicator,period,value\nKZ-AKM,unemployment_ilo_pct,2030,4.5\n'
expect 401 "/api/import?name=up.csv" --data-binary "$csv"; is_error 401
# a wrong token: the real one with its first digit changed (${token/a/b} was the real
# token whenever it had no 'a', one run in 60)
wrong=$([ "${token:0:1}" = 0 ] && echo 1 || echo 0)${token:1}
expect 401 "/api/import?name=up.csv" --data-binary "$csv" -H "Authorization: Bearer $wrong"
expect 401 "/api/import?name=up.csv" --data-binary "$csv" -H "Authorization: Basic dXNlcjpwYXNz"
expect 401 /api/annotations -d '{}'
[[ $(count) == "$before" ]] && ok "nothing stored without a token" || bad "stored without a token"
expect 413 /api/import --data-binary @<(head -c 10000 /dev/zero | tr '\0' 'x') -H "Authorization: Bearer $token"; is_error 413
expect 413 /api/import --data-binary @<(head -c 10000 /dev/zero | tr '\0' 'x') -H "Authorization: Bearer $token" -H "Transfer-Encoding: chunked"
expect 422 "/api/import?name=bad.csv" --data-binary $'unit,indicator,period,value\nKZ-NOPE,unemployment_ilo_pct,2030,4.5\n' -H "Authorization: Bearer $token"
shape "j['stored'] is False and j['errors'] == 1 and j['findings'][0]['rule'] == 'unknown-unit' and j['findings'][0]['line'] == 2"
[[ $(count) == "$before" ]] && ok "nothing stored from a file with errors" || bad "stored a file with errors"
expect 200 "/api/import?name=dry.csv&dry_run=1" --data-binary "$csv" -H "Authorization: Bearer $token"
shape "j['stored'] is False and j['dry_run'] is True and j['stats']['observations'] == 1"
expect 200 "/api/import?name=up.csv" --data-binary "$csv" -H "Authorization: Bearer $token"
shape "j['stored'] is True and j['batch']['inserted'] == 1 and j['errors'] == 0"
[[ $(count) == $((before + 1)) ]] && ok "the upload is stored (and the cache saw it)" || bad "count $(count), expected $((before + 1))"
expect 200 "/api/observations?unit=KZ-AKM&indicator=unemployment_ilo_pct&from=2030"
shape "j['observations'][0]['value'] == 4.5"
expect 400 /api/annotations -H "Authorization: Bearer $token" -d 'not json'; is_error 400
expect 400 /api/annotations -H "Authorization: Bearer $token" -d '{"unit":"KZ-AKM","indicator":"unemployment_ilo_pct","period":"2022","verdict":"maybe"}'
expect 201 /api/annotations -H "Authorization: Bearer $token" -d '{"unit":"KZ-AKM","indicator":"unemployment_ilo_pct","period":"2022","verdict":"dismissed","note":"break in series"}'
shape "j['annotation']['author'] == 'tester' and j['annotation']['verdict'] == 'dismissed'"
expect 200 "/api/alerts?all=1&unit=KZ-AKM"
shape "all(a['reading'] is None or a['reading']['note'] == 'break in series' for a in j['alerts'])"
"$QALA" token revoke tester --db demo.db 2>/dev/null
expect 401 "/api/import?name=up.csv" --data-binary "$csv" -H "Authorization: Bearer $token"
ok "a revoked token is refused at once"

# ---- the access log ----
n=$(grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z 127\.0\.0\.1 "(GET|POST|PUT|DELETE|HEAD) /[^"]*" [0-9]{3} [0-9]+ [0-9]+\.[0-9]{3}$' access.log)
total=$(wc -l < access.log)
[[ $n == "$total" && $total -gt 60 ]] && ok "access log: $total lines, each time client \"METHOD path\" status bytes ms" || bad "access log: $n of $total lines well formed"
grep -q '"GET /api/units/KZ-NOWHERE" 404 ' access.log && ok "access log records a 404" || bad "no 404 line in the log"
grep -q '"POST /api/import" 413 ' access.log && ok "access log records a 413" || bad "no 413 line in the log"

# ---- SIGTERM with a request in flight ----
body=$'unit,indicator,period,value\n'; for i in $(seq 90); do body+="KZ-AKM,unemployment_ilo_pct,$((1940 + i)),4.$i"$'\n'; done
printf '%s' "$body" > slow.csv
curl -s -o slow.json -w '%{http_code}' --limit-rate 1200 -H "Authorization: Bearer $("$QALA" token create --db demo.db 2>/dev/null)" \
    --data-binary @slow.csv "$base/api/import?name=slow.csv&dry_run=1" > slow.code &
cpid=$!
sleep 1
kill -TERM $pid
wait $cpid
wait $pid; rc=$?
[[ $(cat slow.code) == 200 ]] && ok "the request in flight at SIGTERM was answered" || bad "in-flight request: $(cat slow.code) $(head -c 300 slow.json)"
[[ $rc == 0 ]] && ok "the server exited 0 after SIGTERM" || bad "server exit status $rc: $(tail -5 err.txt)"
grep -q 'SIGTERM: stopping' err.txt && grep -q stopped err.txt && ok "the server said it stopped" || bad "$(cat err.txt)"
curl -s -m 2 "$base/api/" >/dev/null && bad "still answering after SIGTERM" || ok "no longer listening"

# ---- the dashboard embedded in the library (no --web) and GET /api/report ----
: > out.txt
start
expect 200 /
grep -q 'src="app.js"' body.json && grep -q 'src="echarts.min.js"' body.json && ok "  / is the embedded dashboard (relative asset links)" \
    || bad "/ is not the embedded dashboard: $(head -c 200 body.json)"
for a in /index.html /style.css /app.js /echarts.min.js; do
    type=$(curl -s -o body.json -w '%{http_code} %{content_type}' "$base$a")
    [[ $type == "200 text/"* && $(wc -c < body.json) -gt 1000 ]] && ok "200 $a ($type)" || bad "$a: $type"
done
[[ $(wc -c < body.json) -gt 500000 ]] && grep -q 'echarts' body.json && ok "  /echarts.min.js is ECharts" || bad "/echarts.min.js is not ECharts"
expect 404 /nosuch.js; is_error 404
expect 404 /web/app.js
code=$(curl -s --path-as-is -o body.json -w '%{http_code}' "$base/../../etc/passwd")
[[ $code == 404 ]] && ! grep -q 'root:' body.json && ok "404 /../../etc/passwd (embedded)" || bad "traversal (embedded): $code"
expect 405 /app.js -X POST; is_error 405
expect 200 /api/report
shape "j['schema'] == 'qala-report/1' and j['data'] == 'database' and j['lang'] == 'en' and j['period'] == '2022' and len(j['passports']) > 20 and len(j['monitor']['rows']) > 100 and len(j['methodology']['batches']) == 11"
expect 200 "/api/report?lang=ru&period=2021&at=2017-06-01&unit=KZ-TEMIRTAU"
shape "j['lang'] == 'ru' and j['period'] == '2021' and j['at'] == '2017-06-01' and [p['unit'] for p in j['passports']] == ['KZ-TEMIRTAU']"
expect 200 "/api/report?spec=city-development&unit=Temirtau"
shape "j['index']['spec'] == 'city-development' and [p['unit'] for p in j['passports']] == ['KZ-TEMIRTAU']"
expect 400 "/api/report?spec=nosuch"; is_error 400
expect 400 "/api/report?spec=../../etc/passwd"; is_error 400
expect 400 "/api/report?at=2017-13-01"; is_error 400
expect 400 "/api/report?period=20x2"; is_error 400
expect 400 "/api/report?lang=de"; is_error 400
expect 400 "/api/report?unit=KZ-NOWHERE"; is_error 400
expect 400 "/api/report?sections=1"; is_error 400
expect 405 /api/report -X POST; is_error 405
# cached until a write: the same object (its "generated" second too) a second later, then
# the upload's batch and the note in the next answers
curl -s -o r1.json "$base/api/report"; sleep 1.1; curl -s -o r2.json "$base/api/report"
cmp -s r1.json r2.json && ok "/api/report answers the same object a second later (cached)" || bad "/api/report was computed again"
token2=$("$QALA" token create --name dash --db demo.db 2>/dev/null)
expect 200 "/api/import?name=dash.csv" --data-binary $'unit,indicator,period,value\nKZ-TEMIRTAU,unemployment_ilo_pct,2031,4.7\n' -H "Authorization: Bearer $token2"
expect 200 /api/report
shape "len(j['methodology']['batches']) == 12 and j['methodology']['batches'][-1]['file'] == 'dash.csv'"
expect 201 /api/annotations -H "Authorization: Bearer $token2" -d '{"unit":"KZ-TEMIRTAU","indicator":"unemployment_ilo_pct","period":"2022","verdict":"watch","note":"from the dashboard"}'
expect 200 /api/report
shape "any(a['unit'] == 'KZ-TEMIRTAU' and a['note'] == 'from the dashboard' for a in j['annotations'])"
kill -TERM $pid; wait $pid; rc=$?; pid=
[[ $rc == 0 ]] && ok "the server (embedded dashboard) exited 0 after SIGTERM" || bad "exit status $rc: $(tail -5 err.txt)"

# ---- 500: the database fails under the server (pages overwritten while it runs) ----
cp demo.db damaged.db
"$QALA" serve --db damaged.db --listen 127.0.0.1:0 > out3.txt 2> err3.txt &
pid=$!
for _ in $(seq 100); do grep -q listening out3.txt 2>/dev/null && break; sleep 0.05; done
base="http://$(grep -o '127.0.0.1:[0-9]*' out3.txt)"
size=$(stat -c %s damaged.db)
dd if=/dev/urandom of=damaged.db bs=4096 seek=20 count=$(( size / 4096 - 21 )) conv=notrunc 2>/dev/null
expect 500 "/api/observations?indicator=population&limit=5"; is_error 500
shape "'malformed' in j['error']['message']" && ok "  the 500 says what failed" || bad "500 message: $(cat body.json)"
expect 500 /api/batches; is_error 500
kill -TERM $pid; wait $pid; pid=

# ---- starting: bad options ----
"$QALA" serve --db nosuch.db --listen 127.0.0.1:0 >/dev/null 2>err2.txt; rc=$?
[[ $rc == 3 ]] && grep -q "does not exist" err2.txt && ok "no database: exit 3" || bad "no database: $rc $(cat err2.txt)"
"$QALA" serve --db demo.db --listen nowhere:80 >/dev/null 2>err2.txt; rc=$?
[[ $rc == 2 ]] && ok "bad --listen: exit 2" || bad "bad --listen: $rc $(cat err2.txt)"
"$QALA" serve --db demo.db --max-body lots >/dev/null 2>err2.txt; rc=$?
[[ $rc == 2 ]] && ok "bad --max-body: exit 2" || bad "bad --max-body: $rc"

echo "$fails failures"
[[ $fails == 0 ]]

# Turns the ```sql blocks of one Markdown file into a psql script, in order.
# A block right after a line `<!-- not run: REASON -->` is left out; one after
# `<!-- needs pg_cron -->` is kept only when -v cron=1. Each block is preceded
# by an \echo naming its file and line, so a failure points at its block.
# Usage: awk -v file=docs/x.md -v cron=0|1 -f extract.awk docs/x.md
/^```sql[ \t]*$/ {
  inblock = 1; skip = (prev ~ /^<!-- not run: .+ -->$/) || (prev ~ /^<!-- needs pg_cron -->$/ && cron != 1)
  if (skip) { skipped++; print "\\echo 'skipped " file ":" NR " " prev "'" }
  else { blocks++; print "\\echo '" file ":" NR "'" }
  next
}
inblock && /^```/ { inblock = 0; if (!skip) print ""; prev = $0; next }
inblock { if (!skip) print; next }
{ if ($0 !~ /^[ \t]*$/) prev = $0 }
END {
  if (inblock) { print "\\echo '" file ": a ```sql block is not closed'"; print "\\quit 3" }
}

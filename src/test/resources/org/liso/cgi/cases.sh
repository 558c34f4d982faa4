#!/bin/sh
# One CGI script, many behaviours, chosen by PATH_INFO (the tests' script under /cgi/...).
case "$PATH_INFO" in
/env|/testfun/*)
    printf 'Content-Type: text/plain\r\n\r\n'
    env | sort
    ;;
/echo)
    # Byte-exact echo of the request body: the stdin and stdout pumps end to end.
    printf 'Content-Type: application/octet-stream\r\n\r\n'
    exec cat
    ;;
/nph)
    printf 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nX-Nph: yes\r\n\r\nnph says '
    ;;
/status)
    printf 'Status: 418 I am a teapot\r\nContent-Type: text/plain\r\n\r\nshort and stout\n'
    ;;
/redirect-local)
    printf 'Location: /somewhere/else?x=1\n\n'
    ;;
/redirect-url)
    printf 'Location: http://example.test/away\n\n'
    ;;
/slow)
    # A child that would outlive the script if only the script were killed.
    sleep 300 &
    echo $! > slow-child.pid
    wait
    ;;
/slow-after-head)
    printf 'Content-Type: text/plain\n\nfirst part\n'
    sleep 300
    ;;
/crash)
    echo "about to crash" >&2
    exit 3
    ;;
/garbage)
    echo "this is not a header block"
    echo
    echo "at all"
    ;;
/silent)
    exit 0
    ;;
/stderr)
    printf 'line one\nline two\n' >&2
    printf 'Content-Type: text/plain\n\nlogged\n'
    ;;
/stderr-after-output)
    # stdout ends (closed) while the script goes on: its stderr is still open when the response is complete
    printf 'Content-Type: text/plain\n\nanswered\n'
    exec 1>&-
    sleep 0.3
    printf 'written after the response\n' >&2
    ;;
/stderr-flood)
    # 2,000 lines (200 KB) to stderr before any stdout: more than a pipe holds, so someone must read stderr while
    # the script has written no response yet.
    yes '0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789' \
        | head -n 2000 >&2
    printf 'Content-Type: text/plain\n\nafter the flood\n'
    ;;
/endless)
    printf 'Content-Type: text/plain\n\n'
    exec yes 'an endless line of output'
    ;;
/ignore-body)
    printf 'Content-Type: text/plain\n\nI did not read your body\n'
    ;;
*)
    printf 'Status: 404 Not Found\nContent-Type: text/plain\n\nno case %s\n' "$PATH_INFO"
    ;;
esac

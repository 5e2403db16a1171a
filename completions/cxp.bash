# bash completion for cxpc and cxcheck (installed as both names).

# The word being completed and the one before it, with "--opt=value" read
# as "--opt" and "value" (COMP_WORDBREAKS splits it at the "=").
_cxp_words()
{
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi
}

# Directories, and the files whose names end in one of the suffixes.
_cxp_files()
{
    local IFS=$'\n' s
    COMPREPLY=($(compgen -d -- "$cur"))
    for s in "$@"; do
        COMPREPLY+=($(compgen -f -X "!*$s" -- "$cur"))
    done
}

_cxpc()
{
    local cur prev
    _cxp_words
    local cmd=${COMP_WORDS[1]}
    if ((COMP_CWORD == 1)); then
        COMPREPLY=($(compgen -W "compile check dump lint fmt seccomp test diff help --help --version" \
            -- "$cur"))
        return
    fi
    if [[ $cmd == help ]]; then
        ((COMP_CWORD == 2)) &&
            COMPREPLY=($(compgen -W "compile check dump lint fmt seccomp test diff" -- "$cur"))
        return
    fi
    case $prev in
    -o | --output)
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    --color)
        COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
        return
        ;;
    -f | --format)
        if [[ $cmd == lint ]]; then
            COMPREPLY=($(compgen -W "text json sarif" -- "$cur"))
        elif [[ $cmd == test ]]; then
            COMPREPLY=($(compgen -W "text tap junit" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "bpf c disasm json" -- "$cur"))
        fi
        return
        ;;
    -a | --arch)
        COMPREPLY=($(compgen -W "x86_64 x32 aarch64 native" -- "$cur"))
        return
        ;;
    -p | --profile)
        COMPREPLY=($(compgen -W "offline net-read-only workspace workspace-net trusted" \
            -- "$cur"))
        return
        ;;
    esac
    local opts="--help --version"
    case $cmd in
    compile) opts+=" --output --color" ;;
    check) opts+=" --json --color" ;;
    lint) opts+=" --format --color --list-warnings -Wall -Wno-all -Werror" ;;
    fmt) opts+=" --check" ;;
    seccomp) opts+=" --arch --format --output --profile --color" ;;
    test) opts+=" --format --output" ;;
    esac
    if [[ $cmd == lint && $cur == -W* ]]; then
        # the warnings' names, from the cxpc being completed
        local names
        names=$("${COMP_WORDS[0]}" lint --list-warnings 2>/dev/null | awk '{print $1}')
        local w more=
        for w in $names; do
            more+=" $w -Wno-${w#-W} -Werror=${w#-W} -Wno-error=${w#-W}"
        done
        COMPREPLY=($(compgen -W "$opts $more" -- "$cur"))
        return
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    case $cmd in
    dump) _cxp_files .cxpb ;;
    seccomp) _cxp_files .policy .json ;;
    compile | check | lint | fmt) _cxp_files .policy .rules ;;
    test | diff) _cxp_files .policy .rules .cxpb .txt .jsonl ;;
    esac
}

_cxcheck()
{
    local cur prev
    _cxp_words
    # the first word that is not an option (or follows --) starts the command
    local i=1 w start=
    while ((i < COMP_CWORD)); do
        w=${COMP_WORDS[i]}
        case $w in
        --)
            start=$((i + 1))
            break
            ;;
        -p | --policy | -r | --rules | --format | --shell | --profile | --workspace | --env | \
            --audit | --session | --audit-verify | --cwd | --hook | --decide)
            ((i += 2))
            [[ ${COMP_WORDS[i - 1]} == = ]] && ((i++))
            ;;
        -*) ((i++)) ;;
        *)
            start=$i
            break
            ;;
        esac
    done
    if [[ -n $start ]]; then
        # inside the judged command: its name, then files
        if ((start == COMP_CWORD)); then
            COMPREPLY=($(compgen -c -- "$cur"))
        else
            COMPREPLY=($(compgen -f -- "$cur"))
        fi
        return
    fi
    case $prev in
    -p | --policy | -r | --rules)
        _cxp_files .policy .rules .cxpb
        return
        ;;
    --format)
        COMPREPLY=($(compgen -W "text json codex" -- "$cur"))
        return
        ;;
    --profile)
        COMPREPLY=($(compgen -W "offline net-read-only workspace workspace-net trusted" \
            -- "$cur"))
        return
        ;;
    --workspace | --cwd | --cgroup)
        COMPREPLY=($(compgen -d -- "$cur"))
        return
        ;;
    --audit | --audit-verify)
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    --hook)
        COMPREPLY=($(compgen -W "claude codex cursor gemini" -- "$cur"))
        return
        ;;
    --decide)
        COMPREPLY=($(compgen -W "safe=allow safe=ask match=allow match=ask match=deny
            unverified=ask unverified=deny unverified=defer" -- "$cur"))
        return
        ;;
    --shell | --env | --session | --timeout | --cpu | --memory | --processes | --file-size | --protect)
        return
        ;;
    --audit-forward)
        COMPREPLY=($(compgen -W "syslog journald unix: udp: tcp:" -- "$cur"))
        return
        ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "--policy --rules --format --pretty --require-safe --shell
            --batch --cwd --explain --codex-rules --hook --decide
            --resolve-host-executables --exec --profile --workspace --env
            --accept-match --allow-no-landlock --allow-no-namespaces --timeout --cpu
            --memory --processes --file-size --protect --cgroup --audit --audit-fsync
            --audit-forward --session --audit-verify --help --version --" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -c -- "$cur"))
}

complete -o filenames -F _cxpc cxpc
complete -o filenames -F _cxcheck cxcheck

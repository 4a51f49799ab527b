# bash completion for redline(1) and redlined(8).
# Commands come from `redline help`, so new ones complete without an
# edit here; sources and channels from the configuration file.

_redline_config() {
	local i
	for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
		if [[ ${COMP_WORDS[i]} == -c ]]; then
			printf '%s\n' "${COMP_WORDS[i + 1]}"
			return
		fi
	done
	printf '%s\n' "${REDLINE_CONFIG:-/etc/redline/redline.conf}"
}

# _redline_sections KIND: the names of [KIND "NAME"] sections.
_redline_sections() {
	local conf
	conf=$(_redline_config)
	[[ -r $conf ]] || return
	sed -n "s/^[[:space:]]*\\[$1[[:space:]]*\"\\([^\"]*\\)\"[[:space:]]*\\].*/\\1/p" "$conf"
}

_redline() {
	local cur prev cmd i
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	case $prev in
	-c) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	-A) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--format) COMPREPLY=($(compgen -W "word unified json html" -- "$cur")); return ;;
	--color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
	esac
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-c | -A) ((i++)) ;;
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-c -A --help --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(redline --help 2>/dev/null | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }')" -- "$cur"))
		fi
		return
	fi
	case $cmd in
	notify)
		if [[ $prev == notify ]]; then
			COMPREPLY=($(compgen -W "test skip pending" -- "$cur"))
		elif [[ $prev == test || $prev == skip || $prev == pending ]]; then
			COMPREPLY=($(compgen -W "$(_redline_sections notify)" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_redline_sections source)" -- "$cur"))
		fi
		;;
	help) COMPREPLY=($(compgen -W "$(redline --help 2>/dev/null | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')" -- "$cur")) ;;
	config) COMPREPLY=($(compgen -W "check" -- "$cur")) ;;
	compare) COMPREPLY=($(compgen -f -- "$cur")) ;;
	init | gc | sources | status) ;;
	*)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$(redline "$cmd" --help 2>/dev/null | grep -o -- '--[a-z-]*' | sort -u)" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_redline_sections source)" -- "$cur"))
		fi
		;;
	esac
}

_redlined() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	case $prev in
	-c) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	-A) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	esac
	COMPREPLY=($(compgen -W "-c -A -v --once --help --version" -- "$cur"))
}

complete -F _redline redline
complete -F _redlined redlined

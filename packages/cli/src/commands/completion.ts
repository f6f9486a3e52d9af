/**
 * `credkit completion bash|zsh|fish`: a small script per shell that asks `credkit __complete` on
 * every Tab. The candidates come from the command table at that moment, so the scripts never hold a
 * list that could fall behind the CLI, and profile or environment names are always current.
 */
import type { CommandContext } from '../context.js';
import { stringFlag } from '../context.js';

// Each script calls the credkit the user typed (the first word), so a copy that is not on PATH
// completes itself. stderr is dropped: a broken config must not scribble over the command line.
const SCRIPTS: Record<string, string> = {
  bash: `# credkit completion for bash. Load it with: source <(credkit completion bash)
_credkit_complete() {
  local cur=\${COMP_WORDS[COMP_CWORD]} line
  local -a out=()
  # A read loop rather than mapfile: macOS still ships bash 3.2.
  while IFS= read -r line; do out+=("$line"); done \
    < <("\${COMP_WORDS[0]}" __complete bash -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  COMPREPLY=()
  case "\${out[0]}" in
  :command) while IFS= read -r line; do COMPREPLY+=("$line"); done < <(compgen -c -- "$cur"); return 0 ;;
  :file)
    compopt -o filenames 2>/dev/null
    while IFS= read -r line; do COMPREPLY+=("$line"); done < <(compgen -f -- "$cur")
    return 0
    ;;
  esac
  # After \`--format=\` bash's current word is the \`=\` itself, which a candidate replaces.
  [[ $cur == = ]] && out=("\${out[@]/#/=}")
  COMPREPLY=("\${out[@]}")
}
complete -F _credkit_complete credkit
`,
  zsh: `#compdef credkit
# credkit completion for zsh. Load it after compinit with: source <(credkit completion zsh)
_credkit() {
  local -a lines candidates
  local line
  lines=("\${(@f)$(\${words[1]} __complete zsh -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  case $lines[1] in
  :command) _command_names; return ;;
  :file) _files; return ;;
  esac
  for line in $lines; do
    [[ -n $line ]] && candidates+=("\${\${line%%$'\\t'*}//:/\\\\:}:\${line#*$'\\t'}")
  done
  _describe -t credkit credkit candidates
}
if (( $+functions[compdef] )); then
  compdef _credkit credkit
else
  print -u2 'credkit completion: run compinit first (autoload -Uz compinit && compinit)'
fi
`,
  fish: `# credkit completion for fish. Load it with: credkit completion fish | source
function __credkit_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l out (command $tokens[1] __complete fish -- $tokens[2..-1] "$current" 2>/dev/null)
    switch "$out[1]"
        case :command
            __fish_complete_command
        case :file
            __fish_complete_path "$current"
        case '*'
            printf '%s\\n' $out
    end
end
complete -c credkit -f -a '(__credkit_complete)'
`,
};

export async function completionCommand(ctx: CommandContext): Promise<number> {
  // The parser checked the shell against the table's choices.
  ctx.stdout.write(SCRIPTS[stringFlag(ctx.flags, 'shell')!]!);
  return 0;
}

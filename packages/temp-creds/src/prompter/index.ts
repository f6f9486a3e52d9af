export { type InteractivityOptions, isInteractive } from './interactive.js';
export { DEFAULT_COLUMNS, displayWidth, terminalColumns } from './layout.js';
export {
  createScriptedPrompter,
  type ScriptedCall,
  type ScriptedPrompter,
  type ScriptStep,
} from './scripted.js';
export {
  createTerminalPrompter,
  DEFAULT_INPUT_MAX_LENGTH,
  DEFAULT_SECRET_MAX_LENGTH,
  type TerminalInput,
  type TerminalOutput,
  type TerminalPrompterOptions,
} from './terminal.js';
export type {
  Choice,
  ConfirmOptions,
  InputOptions,
  Prompter,
  SecretOptions,
  SelectOptions,
} from './types.js';

export { type InteractivityOptions, isInteractive } from './interactive.js';
export type {
  Choice,
  ConfirmOptions,
  InputOptions,
  Prompter,
  SecretOptions,
  SelectOptions,
} from './types.js';

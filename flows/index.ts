import { changePasswordFlow } from './change-password';
import { loginFlow } from './login';
import { logoutFlow, meFlow } from './me';
import { helpFlow, startFlow } from './start';
import type { Action, Flow } from './types';

/** Every conversation the bot knows. Features add theirs here. */
export const FLOWS: Flow<any>[] = [startFlow, helpFlow, loginFlow, changePasswordFlow, meFlow, logoutFlow];

/** Every button handled outside a conversation. */
export const ACTIONS: Action[] = [];

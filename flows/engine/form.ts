import { isUserError, UserError } from '../../server/errors';
import { userErrorText } from './user-errors';
import type { Flow, FlowContext, FlowEvent, Reply, StepResult } from './types';
import { button } from './types';

/** Answers so far, by field key; sealed fields hold `ctx.seal(value)`. */
export type FormValues = Record<string, string>;

/** What a field makes of one input. */
export type FieldOutcome =
  /** Accepted: stored under the field's key (plus `also`); `note` leads the next question. */
  | { value: string; also?: FormValues; note?: string }
  /** Not yet: say this and stay on the field (e.g. search results to pick from). */
  | { retry: Reply; also?: FormValues }
  /** Go back to an earlier field (e.g. passwords that differ). */
  | { back: string; note: string }
  /** End the conversation (e.g. R4: the person already has an account). */
  | { stop: Reply[] };

/** One question of a form. */
export interface FormField {
  key: string;
  /** Kept sealed in the saved state (ID numbers, passwords). */
  sealed?: boolean;
  /** The user's message is deleted (passwords). */
  deleteMessage?: boolean;
  /** Not asked when this says so (e.g. what an existing account already holds). */
  skip?(values: FormValues): boolean;
  ask(ctx: FlowContext, values: FormValues): Reply | Promise<Reply>;
  /** Takes one input; a thrown UserError is shown and the question asked again. */
  take(ctx: FlowContext, event: FlowEvent, values: FormValues): Promise<FieldOutcome>;
}

/** A conversation that asks fields in order, shows a summary, and submits on confirmation. */
export interface FormSpec {
  name: string;
  version: number;
  commands: string[];
  /** Shown before the first question. */
  intro: string;
  /**
   * Before the first question: refuse with replies (e.g. R4, already registered), or begin
   * with answers already known (e.g. from the logged-in account); null begins empty.
   */
  begin?(ctx: FlowContext): Promise<{ refuse: Reply[] } | { values: FormValues; intro?: string } | null>;
  fields: FormField[];
  summary(ctx: FlowContext, values: FormValues): string | Promise<string>;
  submit(ctx: FlowContext, values: FormValues): Promise<Reply[]>;
}

/** State of a form: the field being asked (`fields.length` = the confirmation) and the answers. */
export interface FormState {
  at: number;
  values: FormValues;
}

const SUBMIT = 'form:submit';
const RESTART = 'form:restart';
const CANCEL_HINT = '（发送 /cancel 取消）';

/** Answers given before the form began (keys starting with `_`), kept when the form restarts. */
function kept(values: FormValues): FormValues {
  return Object.fromEntries(Object.entries(values).filter(([k]) => k.startsWith('_')));
}

/** The event's text, or a UserError asking for text (a stale button, a file). */
export function textOf(event: FlowEvent, what = '文字'): string {
  if (event.type !== 'text') throw UserError.invalid('EXPECT_TEXT', `这里需要直接输入${what}。`);
  return event.text;
}

/** Builds a flow from a form: one field per step, then 提交 / 重新填写. */
export function formFlow(spec: FormSpec): Flow<FormState> {
  const index = (key: string) =>
    Math.max(
      0,
      spec.fields.findIndex((f) => f.key === key),
    );

  async function askAt(ctx: FlowContext, state: FormState, lead?: string): Promise<StepResult<FormState>> {
    while (state.at < spec.fields.length && spec.fields[state.at].skip?.(state.values)) state = { ...state, at: state.at + 1 };
    if (state.at >= spec.fields.length) {
      const summary = await spec.summary(ctx, state.values);
      const text = `${lead ? `${lead}\n\n` : ''}请核对以下信息：\n${summary}\n\n确认无误请点击“提交”。`;
      return { replies: [{ text, choices: [[button('✅ 提交', SUBMIT)], [button('✏️ 重新填写', RESTART)]] }], next: state };
    }
    const reply = await spec.fields[state.at].ask(ctx, state.values);
    return { replies: [{ ...reply, text: lead ? `${lead}\n${reply.text}` : reply.text }], next: state };
  }

  async function confirm(ctx: FlowContext, state: FormState, event: FlowEvent): Promise<StepResult<FormState>> {
    if (event.type === 'choice' && event.value === RESTART) return askAt(ctx, { at: 0, values: kept(state.values) }, '好的，请重新填写。');
    if (event.type !== 'choice' || event.value !== SUBMIT) return askAt(ctx, state, '请点击下面的“提交”或“重新填写”按钮。');
    try {
      return { replies: await spec.submit(ctx, state.values), next: null };
    } catch (err) {
      if (!isUserError(err)) throw err;
      return { replies: [{ text: `${userErrorText(err)}\n本次提交未成功，如需重新办理请发送 /${spec.commands[0]}。` }], next: null };
    }
  }

  return {
    name: spec.name,
    version: spec.version,
    commands: spec.commands,
    privateOnly: true,
    async start(ctx) {
      const begun = await spec.begin?.(ctx);
      if (begun && 'refuse' in begun) return { replies: begun.refuse };
      return askAt(ctx, { at: 0, values: begun?.values ?? {} }, `${begun?.intro ?? spec.intro}\n${CANCEL_HINT}\n`);
    },
    async step(ctx, state, event) {
      if (state.at >= spec.fields.length) return confirm(ctx, state, event);
      const field = spec.fields[state.at];
      if (field.deleteMessage && event.type === 'text') await ctx.io.deleteUserMessage();
      let outcome: FieldOutcome;
      try {
        outcome = await field.take(ctx, event, state.values);
      } catch (err) {
        if (!isUserError(err)) throw err;
        const again = await field.ask(ctx, state.values);
        return { replies: [{ text: `${userErrorText(err)}\n${again.text}`, choices: again.choices }], next: state };
      }
      if ('stop' in outcome) return { replies: outcome.stop, next: null };
      if ('back' in outcome) return askAt(ctx, { ...state, at: index(outcome.back) }, outcome.note);
      if ('retry' in outcome) return { replies: [outcome.retry], next: { ...state, values: { ...state.values, ...outcome.also } } };
      const value = field.sealed ? ctx.seal(outcome.value) : outcome.value;
      const values = { ...state.values, ...outcome.also, [field.key]: value };
      return askAt(ctx, { at: state.at + 1, values }, outcome.note);
    },
  };
}

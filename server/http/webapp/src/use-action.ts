import { ref } from 'vue';
import { errorText } from './api';

/** A form's submit: busy while it runs, the error's message when it fails. */
export function useAction() {
  const busy = ref(false);
  const error = ref<string | null>(null);
  async function run(action: () => Promise<unknown>): Promise<void> {
    busy.value = true;
    error.value = null;
    try {
      await action();
    } catch (err) {
      error.value = errorText(err);
    } finally {
      busy.value = false;
    }
  }
  return { busy, error, run };
}

/** `YYYY-MM-DD HH:mm` in Beijing time (UTC+8, no daylight saving), whatever the server's zone. */
export function formatChinaTime(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

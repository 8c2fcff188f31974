/** An error in how the command was called (bad flag value, unwritable path): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

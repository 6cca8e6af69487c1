export type NoticeMessage = { tone: 'ok' | 'error'; text: string };

/** The outcome of an action: a polite status when it worked, an alert when it did not. */
export function Notice({
  message,
  className = 'mt-3',
}: {
  message: NoticeMessage | null;
  className?: string;
}) {
  if (!message) return null;
  const error = message.tone === 'error';
  return (
    <p
      role={error ? 'alert' : 'status'}
      className={`${className} rounded p-2 ${error ? 'bg-amber-50 text-amber-950' : 'bg-emerald-50 text-emerald-950'}`}
    >
      {message.text}
    </p>
  );
}

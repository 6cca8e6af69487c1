'use client';

type Decision = 'approve' | 'decline' | 'withdraw';

/**
 * The buttons under a two-person request: the one who asked waits (and may withdraw); anyone else
 * may approve or decline. Whether they are allowed to is the server's decision.
 */
export function RequestDecision(props: {
  mine: boolean;
  waiting: string;
  approveLabel: string;
  /** The id of the sentence saying what approving does. */
  describedBy?: string;
  onDecide: (decision: Decision) => void;
}) {
  const plain = 'rounded-md border border-slate-300 px-3 py-1';
  return (
    <div className="mt-2 flex flex-wrap items-center gap-2">
      {props.mine ? (
        <>
          <span>{props.waiting}</span>
          <button type="button" className={plain} onClick={() => props.onDecide('withdraw')}>
            Withdraw request
          </button>
        </>
      ) : (
        <>
          <button
            type="button"
            className="rounded-md bg-brand-600 px-3 py-1 font-semibold text-white hover:bg-brand-700"
            onClick={() => props.onDecide('approve')}
            aria-describedby={props.describedBy}
          >
            {props.approveLabel}
          </button>
          <button type="button" className={plain} onClick={() => props.onDecide('decline')}>
            Decline
          </button>
        </>
      )}
    </div>
  );
}

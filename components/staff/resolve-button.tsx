'use client';

import { useRouter } from 'next/navigation';
import { staffRequest } from '@/components/staff/staff-request';

export function ResolveButton({ itemId }: { itemId: string }) {
  const router = useRouter();
  return (
    <button
      type="button"
      className="ml-2 rounded border border-slate-300 px-1.5 text-xs hover:bg-slate-100"
      onClick={async () => {
        await staffRequest(`/api/it/attention/${itemId}/resolve`, {});
        router.refresh();
      }}
    >
      Mark handled
    </button>
  );
}

import type { ReactNode } from 'react';

/** The frame of every public page: a header with the product name and one main landmark. */
export function PageShell({ children }: { children: ReactNode }) {
  return (
    <>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-3xl items-center gap-2 px-6 py-4">
          <span aria-hidden="true" className="inline-block h-6 w-6 rounded-md bg-brand-600" />
          <span className="text-lg font-semibold tracking-tight">Firstkey</span>
        </div>
      </header>
      <main className="mx-auto max-w-3xl px-6 py-12">{children}</main>
    </>
  );
}

'use client';

import { useEffect } from 'react';

const REFRESH_EVERY_MS = 2 * 60_000;

/**
 * Keeps an active staff session alive: the session cookie expires after 30 idle minutes, and
 * next-auth extends it when /api/auth/session is read. We read it only after real activity (a key
 * or a click), at most every 2 minutes — an unattended console still times out.
 */
export function SessionKeeper() {
  useEffect(() => {
    let last = Date.now();
    const onActivity = () => {
      if (Date.now() - last < REFRESH_EVERY_MS) return;
      last = Date.now();
      void fetch('/api/auth/session', { credentials: 'same-origin' });
    };
    window.addEventListener('keydown', onActivity);
    window.addEventListener('pointerdown', onActivity);
    return () => {
      window.removeEventListener('keydown', onActivity);
      window.removeEventListener('pointerdown', onActivity);
    };
  }, []);
  return null;
}

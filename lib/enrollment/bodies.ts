import { z } from 'zod';
import { BridgeTokenString } from '@/lib/enrollment/token';

export const TokenBody = z.object({ token: BridgeTokenString }).strict();

/** "Ask IT for a new link": the link, or nothing (the enrollment session's cookie names it). */
export const NewLinkBody = z.object({ token: BridgeTokenString.optional() }).strict();

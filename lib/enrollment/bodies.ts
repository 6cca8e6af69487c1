import { z } from 'zod';
import { BridgeTokenString } from '@/lib/enrollment/token';

export const TokenBody = z.object({ token: BridgeTokenString }).strict();

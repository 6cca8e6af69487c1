/** Every response names the instance that answered it, so operators and tests can see the balancing. */
export const INSTANCE_HEADER = 'x-firstkey-instance';

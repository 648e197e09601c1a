// The time, passed in: tests give a clock they control, so schedules, job times and change-log
// entries follow it instead of the machine's.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

import { DateTime } from 'luxon';

/** A UTC instant as wall-clock time in the center's zone, e.g. "Mon 2 Mar 2026, 06:45". */
export function formatInstant(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat('ccc d LLL yyyy, HH:mm');
}

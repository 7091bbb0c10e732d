/**
 * What every part of the supervisors' work shares: the scope a channel watches (the programme, or
 * one region of it), region names, and how long its records are kept.
 */
import type { FigureContext } from '../domain/sessionReport.js';
import type { ServiceDefinition } from '../domain/serviceDefinition.js';
import { SupervisionError } from '../platform/flow/errors.js';

/** Summary cards and alerts are kept 30 days (Cosmos ttl), then expire. */
export const RECORD_TTL_SECONDS = 30 * 86_400;

/** The scope key of a registration: the programme and the region (or "all"). */
export function scopeOf(definition: ServiceDefinition, region?: string): string {
  return `${definition.programme.id}:${region ?? 'all'}`;
}

/** A region's name (its code when the definition has no such region); undefined without a region. */
export function regionName(definition: ServiceDefinition, region?: string): string | undefined {
  return region ? (definition.regions.find((r) => r.code === region)?.name ?? region) : undefined;
}

/**
 * The region of the definition with this code; throws SupervisionError('invalid') naming the
 * programme's regions when there is none (a channel tab pinned to a region since removed).
 */
export function regionByCode(definition: ServiceDefinition, code: string): { code: string; name: string } {
  const found = definition.regions.find((r) => r.code === code);
  if (!found)
    throw new SupervisionError('invalid', `There is no region "${code.slice(0, 16)}" in this programme (its regions: ${definition.regions.map((r) => r.code).join(', ')}).`, 'region');
  return { code: found.code, name: found.name };
}

/** What the figures need from the definition: category names and limits, and the staff. */
export function figureContext(definition: ServiceDefinition): FigureContext {
  return { categories: definition.categories, staff: definition.staff };
}

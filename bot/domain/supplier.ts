/**
 * Who supplies and bills a metered service (issue 20): electricity in most of the City by City
 * Power and in some areas directly by Eskom; water by Johannesburg Water. Which supplier goes
 * where is data (`rules.suppliers`, docs/domain-rules.md): a category's experts, the metering
 * desk itself, or "where to go instead" when the City cannot help (Eskom-direct areas), so the
 * ratepayer does not wait in the wrong queue.
 */
import type { CityRules } from './serviceDefinition.js';

type Supplier = CityRules['suppliers'][number];
/** The metered services suppliers are named for. */
export type MeteredService = Supplier['service'];

/** The suppliers of a service, in the definition's order. */
export function suppliersOf(rules: CityRules, service: MeteredService): Supplier[] {
  return rules.suppliers.filter((s) => s.service === service);
}

/**
 * Whether supplier choice `value` is offered for a meter of type `meterType` (undefined: not
 * chosen yet, so every supplier is): the suppliers that bill that service, and "not sure" always
 * (tester 10, finding 6: a water meter was offered Eskom).
 */
export function offeredFor(rules: CityRules, value: string, meterType: string | undefined): boolean {
  const supplier = rules.suppliers.find((s) => s.id === value);
  return !supplier || !meterType || supplier.service === meterType;
}

/** Where a case about a supplier's meter goes. */
export type SupplierRoute = { kind: 'queue'; category: string } | { kind: 'elsewhere'; text: string; supplier: string; id: string };

/**
 * Where a metering case goes for supplier `id`, from the case's own category `category`:
 * `queue` (the same category for `desk`, or the category the definition names) or `elsewhere`
 * (not queued; the text tells the ratepayer where to go). An unknown id stays in the category:
 * a ratepayer who is unsure is never turned away.
 */
export function routeFor(rules: CityRules, id: string | undefined, category: string): SupplierRoute {
  const supplier = rules.suppliers.find((s) => s.id === id);
  if (!supplier || supplier.route.kind === 'desk') return { kind: 'queue', category };
  if (supplier.route.kind === 'category') return { kind: 'queue', category: supplier.route.category };
  return { kind: 'elsewhere', text: supplier.route.text, supplier: supplier.name, id: supplier.id };
}

import { api } from '../shared/app';
import type { Place } from './admin-model';

/** The registered facilities and pharmacies, as last loaded. */
export const places: { facilities: Place[]; pharmacies: Place[] } = { facilities: [], pharmacies: [] };

export async function fetchPlaces() {
  [places.facilities, places.pharmacies] = await Promise.all([api.get<Place[]>('/api/facilities'), api.get<Place[]>('/api/admin/pharmacies')]);
}

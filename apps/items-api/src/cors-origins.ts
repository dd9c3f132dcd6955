/**
 * Reads `CORS_ORIGINS`: unset, empty or `*` allows any origin; otherwise a
 * comma-separated list of origins such as `https://shop.example,https://admin.shop.example`.
 */
export function parseCorsOrigins(value: string | undefined): '*' | string[] {
  const list = (value ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  return list.length === 0 || list.includes('*') ? '*' : list;
}

/**
 * Makes `lazy`'s instances stand in for instances of `base` (a built-in such
 * as `Request` or `Headers`): every member of `base.prototype` that `lazy`
 * does not define itself is passed on to the real object `real(instance)`
 * returns (made on first use), methods called on it and getters read from
 * it; then `base.prototype` goes in `lazy`'s prototype chain, so an instance
 * is `instanceof base`. Only `lazy.prototype` changes: `base` and its
 * prototype are left as they are.
 */
export function standIn<T extends object>(
  lazy: { prototype: T },
  base: { prototype: object },
  real: (instance: T) => object,
): void {
  const own = new Set<PropertyKey>(Reflect.ownKeys(lazy.prototype));
  for (const key of Reflect.ownKeys(base.prototype)) {
    if (own.has(key) || key === 'constructor') continue;
    const descriptor = Object.getOwnPropertyDescriptor(base.prototype, key)!;
    if (typeof descriptor.value === 'function') {
      Object.defineProperty(lazy.prototype, key, {
        configurable: true,
        writable: true,
        value(this: T, ...args: unknown[]) {
          const target = real(this);
          return (Reflect.get(target, key) as (...a: unknown[]) => unknown).apply(target, args);
        },
      });
    } else if (descriptor.get !== undefined) {
      Object.defineProperty(lazy.prototype, key, {
        configurable: true,
        get(this: T) {
          return Reflect.get(real(this), key);
        },
      });
    }
  }
  Object.setPrototypeOf(lazy.prototype, base.prototype);
}

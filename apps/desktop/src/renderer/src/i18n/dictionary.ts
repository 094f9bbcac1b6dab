/** The shape every translation must have: the English dictionary's keys, any strings as values. */
import type { en } from './en';

type Strings<T> = { readonly [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };

/** A complete translation of the English dictionary. */
export type Dictionary = Strings<typeof en>;

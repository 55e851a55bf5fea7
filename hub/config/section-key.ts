// Typed access to the subsystem files the loader validated (LoadedConfig.sections): each subsystem
// declares the key of its file with the type its schema produces, and reads the parsed data through
// it — no module re-reads YAML. A leaf file (imports nothing) so keys can live beside their schemas.

/** The file name of a config section, tagged with the type its schema produces. */
export interface SectionKey<T> {
  readonly file: string;
  /** Type tag only; never set. */
  readonly __type?: T;
}

export function sectionKey<T>(file: string): SectionKey<T> {
  return { file };
}

/**
 * The validated data of a section file: undefined when the file is missing. `sections` undefined
 * means a config built by hand (tests), not by the loader.
 */
export function sectionOf<T>(sections: ReadonlyMap<string, unknown> | undefined, key: SectionKey<T>): T | undefined {
  return sections?.get(key.file) as T | undefined;
}

// CDR repositories a test opens, all stopped together in afterAll so no pool
// outlives its file.
import { CdrRepository } from '../../../relay/pbx/cdr-repository.js';

type RepositoryOptions = ConstructorParameters<typeof CdrRepository>[0];

export function cdrTestRepositories(defaultUrl: () => string) {
  const opened: CdrRepository[] = [];
  return {
    /** A repository on the test's database, or on `opts.config` when given. */
    open(opts: Partial<RepositoryOptions> = {}): CdrRepository {
      const r = new CdrRepository({ config: { url: defaultUrl() }, ...opts });
      opened.push(r);
      return r;
    },
    async stopAll(): Promise<void> {
      for (const r of opened.splice(0)) await r.stop();
    },
  };
}

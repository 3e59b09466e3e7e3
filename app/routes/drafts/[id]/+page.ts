import { draftStore } from '$lib/drafts/store.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params }) => {
  const store = draftStore();
  const draft = await store.get(params.id);
  const pdf = draft ? await store.pdf(params.id) : undefined;
  return { draft, pdf };
};

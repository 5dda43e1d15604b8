export { ingestEvents, type IngestSummary } from './ingest';
export { DEFAULT_DEMO, demoCatalog, demoEvents, prng, type DemoEvent, type DemoItem, type DemoOptions } from './shop';
export { DEFAULT_VIDEO_DEMO, videoCatalog, videoEvents, type VideoItem, type VideoOptions } from './video';
export { demoCampaigns } from './campaigns';

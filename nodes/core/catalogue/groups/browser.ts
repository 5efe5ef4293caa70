import { actOnPage } from '../operations/act-on-page';
import { closeBrowser } from '../operations/close-browser';
import { extractFromPage } from '../operations/extract-from-page';
import { getBrowserEndpoint } from '../operations/get-browser-endpoint';
import { initializeBrowser } from '../operations/initialize-browser';
import { navigatePage } from '../operations/navigate-page';
import { observePage } from '../operations/observe-page';
import { takeScreenshot } from '../operations/take-screenshot';
import type { OperationDefinition } from '../types';

export const browserOperations: readonly OperationDefinition[] = [
  initializeBrowser,
  getBrowserEndpoint,
  navigatePage,
  takeScreenshot,
  actOnPage,
  observePage,
  extractFromPage,
  closeBrowser,
];

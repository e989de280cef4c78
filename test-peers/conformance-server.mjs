// Conformance test peer: an official-SDK (1.x, low-level Server) MCP server with everything the
// server scenarios of @modelcontextprotocol/conformance 0.1.12 call, mirroring that suite's own
// reference server (examples/servers/typescript/everything-server.ts at tag v0.1.12): the same tool,
// resource and prompt names and answers. Streamable HTTP with stateful sessions at /mcp on
// 127.0.0.1, resumable streams (an in-memory event store, retry 5000 ms), and DNS-rebinding
// protection (a Host other than localhost / 127.0.0.1 / [::1] is refused 403), as the reference has.
//
// Environment variables:
//   PORT             port to listen on at 127.0.0.1 (0 or unset = pick a free one); prints "LISTENING <port>" once ready
//   SERVER_REQUESTS  "standalone": sampling and elicitation requests on the GET stream, as the reference server (see ask below)
import { randomUUID } from 'node:crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema, CompleteRequestSchema, ElicitResultSchema, ErrorCode, GetPromptRequestSchema,
  ListPromptsRequestSchema, ListResourcesRequestSchema, ListResourceTemplatesRequestSchema, ListToolsRequestSchema,
  McpError, ReadResourceRequestSchema, SetLevelRequestSchema, SubscribeRequestSchema, UnsubscribeRequestSchema,
  CreateMessageResultSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { serveSessions } from './session-host.mjs';

const IMAGE = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const AUDIO = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';
const EMPTY = { type: 'object', properties: {} };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (t) => ({ content: [{ type: 'text', text: t }] });

const tools = [
  { name: 'test_simple_text', description: 'Tests simple text content response', inputSchema: EMPTY },
  { name: 'test_image_content', description: 'Tests image content response', inputSchema: EMPTY },
  { name: 'test_audio_content', description: 'Tests audio content response', inputSchema: EMPTY },
  { name: 'test_embedded_resource', description: 'Tests embedded resource content response', inputSchema: EMPTY },
  { name: 'test_multiple_content_types', description: 'Tests response with multiple content types (text, image, resource)', inputSchema: EMPTY },
  { name: 'test_tool_with_logging', description: 'Tests tool that emits log messages during execution', inputSchema: EMPTY },
  { name: 'test_tool_with_progress', description: 'Tests tool that reports progress notifications', inputSchema: EMPTY },
  { name: 'test_error_handling', description: 'Tests error response handling', inputSchema: EMPTY },
  { name: 'test_reconnection', description: 'Tests SSE stream disconnection and client reconnection (SEP-1699)', inputSchema: EMPTY },
  {
    name: 'test_sampling', description: 'Tests server-initiated sampling (LLM completion request)',
    inputSchema: { type: 'object', properties: { prompt: { type: 'string', description: 'The prompt to send to the LLM' } }, required: ['prompt'] },
  },
  {
    name: 'test_elicitation', description: 'Tests server-initiated elicitation (user input request)',
    inputSchema: { type: 'object', properties: { message: { type: 'string', description: 'The message to show the user' } }, required: ['message'] },
  },
  { name: 'test_elicitation_sep1034_defaults', description: 'Tests elicitation with default values per SEP-1034', inputSchema: EMPTY },
  { name: 'test_elicitation_sep1330_enums', description: 'Tests elicitation with enum schema improvements per SEP-1330', inputSchema: EMPTY },
  {
    name: 'json_schema_2020_12_tool', description: 'Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)',
    inputSchema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      $defs: { address: { type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } } },
      properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
      additionalProperties: false,
    },
  },
];

const SEP1034_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string', description: 'User name', default: 'John Doe' },
    age: { type: 'integer', description: 'User age', default: 30 },
    score: { type: 'number', description: 'User score', default: 95.5 },
    status: { type: 'string', description: 'User status', enum: ['active', 'inactive', 'pending'], default: 'active' },
    verified: { type: 'boolean', description: 'Verification status', default: true },
  },
  required: [],
};

const SEP1330_SCHEMA = {
  type: 'object',
  properties: {
    untitledSingle: { type: 'string', description: 'Select one option', enum: ['option1', 'option2', 'option3'] },
    titledSingle: {
      type: 'string', description: 'Select one option with titles',
      oneOf: [{ const: 'value1', title: 'First Option' }, { const: 'value2', title: 'Second Option' }, { const: 'value3', title: 'Third Option' }],
    },
    legacyEnum: {
      type: 'string', description: 'Select one option (legacy)', enum: ['opt1', 'opt2', 'opt3'],
      enumNames: ['Option One', 'Option Two', 'Option Three'],
    },
    untitledMulti: {
      type: 'array', description: 'Select multiple options', minItems: 1, maxItems: 3,
      items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
    },
    titledMulti: {
      type: 'array', description: 'Select multiple options with titles', minItems: 1, maxItems: 3,
      items: { anyOf: [{ const: 'value1', title: 'First Choice' }, { const: 'value2', title: 'Second Choice' }, { const: 'value3', title: 'Third Choice' }] },
    },
  },
  required: [],
};

const resources = [
  { uri: 'test://static-text', name: 'static-text', title: 'Static Text Resource', description: 'A static text resource for testing', mimeType: 'text/plain' },
  { uri: 'test://static-binary', name: 'static-binary', title: 'Static Binary Resource', description: 'A static binary resource (image) for testing', mimeType: 'image/png' },
  { uri: 'test://watched-resource', name: 'watched-resource', title: 'Watched Resource', description: 'A resource that can be subscribed to', mimeType: 'text/plain' },
];

const prompts = [
  { name: 'test_simple_prompt', title: 'Simple Test Prompt', description: 'A simple prompt without arguments' },
  {
    name: 'test_prompt_with_arguments', title: 'Prompt With Arguments', description: 'A prompt with required arguments',
    arguments: [{ name: 'arg1', description: 'First test argument', required: true }, { name: 'arg2', description: 'Second test argument', required: true }],
  },
  {
    name: 'test_prompt_with_embedded_resource', title: 'Prompt With Embedded Resource', description: 'A prompt that includes an embedded resource',
    arguments: [{ name: 'resourceUri', description: 'URI of the resource to embed', required: true }],
  },
  { name: 'test_prompt_with_image', title: 'Prompt With Image', description: 'A prompt that includes image content' },
];

/** One in-memory event store for the process; event ids are "<stream id>::<time>_<uuid>", so they sort per stream. */
const events = new Map();
const eventStore = {
  async storeEvent(streamId, message) {
    const eventId = `${streamId}::${String(Date.now()).padStart(15, '0')}_${randomUUID()}`;
    events.set(eventId, { streamId, message });
    return eventId;
  },
  async replayEventsAfter(lastEventId, { send }) {
    const streamId = lastEventId.split('::')[0];
    const later = [...events.entries()].filter(([id, e]) => e.streamId === streamId && id > lastEventId).sort(([a], [b]) => a.localeCompare(b));
    for (const [id, { message }] of later) if (Object.keys(message).length > 0) await send(id, message);
    return streamId;
  },
};

function createServer() {
  const server = new Server(
    { name: 'mcp-conformance-test-server', version: '1.0.0' },
    { capabilities: { tools: { listChanged: true }, resources: { subscribe: true, listChanged: true }, prompts: { listChanged: true }, logging: {}, completions: {} } },
  );
  const log = (level, data) => server.notification({ method: 'notifications/message', params: { level, logger: 'conformance-test-server', data } }).catch(() => {});

  // Server requests go on the stream of the tool call they belong to (extra.sendRequest), as the
  // transport spec recommends. The suite's reference server uses server.request, which puts them on
  // the standalone GET stream; the SDK drops a message there when the client's GET stream is not open
  // yet, and the scenarios call the tool right after initializing, so that races the agent's GET
  // (more often through the gateway, whose GET takes a hop longer). SERVER_REQUESTS=standalone
  // restores the reference behaviour to see it.
  const ask = (extra, request, schema) => (process.env.SERVER_REQUESTS === 'standalone'
    ? server.request(request, schema) : extra.sendRequest(request, schema));

  async function elicit(extra, params) {
    try {
      return await ask(extra, { method: 'elicitation/create', params }, ElicitResultSchema);
    } catch (error) {
      return { error };
    }
  }

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const args = request.params.arguments ?? {};
    switch (request.params.name) {
      case 'test_simple_text':
        return text('This is a simple text response for testing.');
      case 'test_image_content':
        return { content: [{ type: 'image', data: IMAGE, mimeType: 'image/png' }] };
      case 'test_audio_content':
        return { content: [{ type: 'audio', data: AUDIO, mimeType: 'audio/wav' }] };
      case 'test_embedded_resource':
        return { content: [{ type: 'resource', resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' } }] };
      case 'test_multiple_content_types':
        return {
          content: [
            { type: 'text', text: 'Multiple content types test:' },
            { type: 'image', data: IMAGE, mimeType: 'image/png' },
            { type: 'resource', resource: { uri: 'test://mixed-content-resource', mimeType: 'application/json', text: JSON.stringify({ test: 'data', value: 123 }) } },
          ],
        };
      case 'test_tool_with_logging':
        for (const [i, data] of ['Tool execution started', 'Tool processing data', 'Tool execution completed'].entries()) {
          if (i > 0) await sleep(50);
          await extra.sendNotification({ method: 'notifications/message', params: { level: 'info', data } });
        }
        return text('Tool with logging executed successfully');
      case 'test_tool_with_progress': {
        const progressToken = request.params._meta?.progressToken ?? 0;
        for (const [i, progress] of [0, 50, 100].entries()) {
          if (i > 0) await sleep(50);
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress, total: 100, message: `Completed step ${progress} of 100` },
          });
        }
        return text(String(progressToken));
      }
      case 'test_error_handling':
        return { isError: true, content: [{ type: 'text', text: 'This tool intentionally returns an error for testing' }] };
      case 'test_reconnection':
        // SEP-1699: close the POST's event stream mid-call; the client reconnects with Last-Event-ID
        // and gets the result replayed from the event store.
        extra.closeSSEStream?.();
        await sleep(100);
        return text('Reconnection test completed successfully. If you received this, the client properly reconnected after stream closure.');
      case 'test_sampling': {
        try {
          const result = await ask(extra, {
            method: 'sampling/createMessage',
            params: { messages: [{ role: 'user', content: { type: 'text', text: String(args.prompt ?? '') } }], maxTokens: 100 },
          }, CreateMessageResultSchema);
          return text(`LLM response: ${result.content?.text ?? 'No response'}`);
        } catch (error) {
          return text(`Sampling not supported or error: ${error.message}`);
        }
      }
      case 'test_elicitation': {
        const r = await elicit(extra, {
          message: String(args.message ?? ''),
          requestedSchema: { type: 'object', properties: { response: { type: 'string', description: "User's response" } }, required: ['response'] },
        });
        return text(r.error ? `Elicitation not supported or error: ${r.error.message}`
          : `User response: action=${r.action}, content=${JSON.stringify(r.content || {})}`);
      }
      case 'test_elicitation_sep1034_defaults':
      case 'test_elicitation_sep1330_enums': {
        const sep1034 = request.params.name === 'test_elicitation_sep1034_defaults';
        const r = await elicit(extra, sep1034
          ? { message: 'Please review and update the form fields with defaults', requestedSchema: SEP1034_SCHEMA }
          : { message: 'Please select options from the enum fields', requestedSchema: SEP1330_SCHEMA });
        return text(r.error ? `Elicitation not supported or error: ${r.error.message}`
          : `Elicitation completed: action=${r.action}, content=${JSON.stringify(r.content || {})}`);
      }
      case 'json_schema_2020_12_tool':
        return text(`JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`);
      default:
        throw new McpError(ErrorCode.InvalidParams, `Tool ${request.params.name} not found`);
    }
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: [{
      uriTemplate: 'test://template/{id}/data', name: 'template', title: 'Resource Template',
      description: 'A resource template with parameter substitution', mimeType: 'application/json',
    }],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const uri = request.params.uri;
    if (uri === 'test://static-text') return { contents: [{ uri, mimeType: 'text/plain', text: 'This is the content of the static text resource.' }] };
    if (uri === 'test://static-binary') return { contents: [{ uri, mimeType: 'image/png', blob: IMAGE }] };
    if (uri === 'test://watched-resource') return { contents: [{ uri, mimeType: 'text/plain', text: 'Watched resource content' }] };
    const m = /^test:\/\/template\/([^/]+)\/data$/.exec(uri);
    if (m) {
      const id = decodeURIComponent(m[1]);
      return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }) }] };
    }
    throw new McpError(-32002, `Resource ${uri} not found`);
  });
  const subscriptions = new Set();
  server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    subscriptions.add(request.params.uri);
    log('info', `Subscribed to resource: ${request.params.uri}`);
    return {};
  });
  server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    subscriptions.delete(request.params.uri);
    log('info', `Unsubscribed from resource: ${request.params.uri}`);
    return {};
  });

  server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts }));
  server.setRequestHandler(GetPromptRequestSchema, async (request) => {
    const args = request.params.arguments ?? {};
    switch (request.params.name) {
      case 'test_simple_prompt':
        return { messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }] };
      case 'test_prompt_with_arguments':
        return { messages: [{ role: 'user', content: { type: 'text', text: `Prompt with arguments: arg1='${args.arg1}', arg2='${args.arg2}'` } }] };
      case 'test_prompt_with_embedded_resource':
        return {
          messages: [
            { role: 'user', content: { type: 'resource', resource: { uri: args.resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' } } },
            { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
          ],
        };
      case 'test_prompt_with_image':
        return {
          messages: [
            { role: 'user', content: { type: 'image', data: IMAGE, mimeType: 'image/png' } },
            { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
          ],
        };
      default:
        throw new McpError(ErrorCode.InvalidParams, `Prompt ${request.params.name} not found`);
    }
  });

  server.setRequestHandler(SetLevelRequestSchema, async (request) => {
    log('info', `Log level set to: ${request.params.level}`);
    return {};
  });
  server.setRequestHandler(CompleteRequestSchema, async () => ({ completion: { values: [], total: 0, hasMore: false } }));
  return server;
}

serveSessions(createServer, {
  port: parseInt(process.env.PORT ?? '0', 10),
  allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
  transportOptions: () => ({ eventStore, retryInterval: 5000 }),
});

'use strict';
// eureka-js-client (the npm package, pinned in package.json) against a TT Mall discovery server, driven by
// EurekaJsInteropTests. It registers an instance of its own (serving HTTP, so the .NET side can call it),
// heartbeats, fetches the registry and checks it sees the instance the .NET side registered; then it prints
// READY and waits for a line "DEREGISTER" on stdin before it deregisters and exits.
//
// Usage: node eureka-js-interop.js <serviceUrl> <dotnetVip> <dotnetInstanceId>
// serviceUrl carries the application's credential, http://JSINTEROP:password@127.0.0.1:port/eureka/, as for any client.
// Exit code 0 when every check passed; otherwise 1, with the reason on a line starting with FAIL.

const http = require('http');
const readline = require('readline');
const { Eureka } = require('eureka-js-client');

const [serviceUrl, dotnetVip, dotnetInstanceId] = process.argv.slice(2);
if (!serviceUrl || !dotnetVip || !dotnetInstanceId) {
  console.log('FAIL usage: node eureka-js-interop.js <serviceUrl> <dotnetVip> <dotnetInstanceId>');
  process.exit(2);
}

const APP = 'JSINTEROP';
const VIP = 'jsinterop';
const WAIT_MS = 15000;

function log(...args) {
  console.log(new Date().toISOString(), ...args);
}

function fail(message) {
  log('FAIL', message);
  process.exit(1);
}

// Heartbeats, fetches and the lookups below log a lot at info/debug; keep warnings and errors, timestamped.
const logger = {
  debug() {},
  info: (...args) => log('[eureka-js-client]', ...args),
  warn: (...args) => log('[eureka-js-client] warn', ...args),
  error: (...args) => log('[eureka-js-client] error', ...args),
};

/** Calls `then` once `condition` holds (checked on each registry update / heartbeat), or fails after WAIT_MS. */
function when(emitter, event, condition, what, then) {
  const deadline = setTimeout(() => fail(`not within ${WAIT_MS} ms: ${what}`), WAIT_MS);
  const check = () => {
    if (condition()) {
      clearTimeout(deadline);
      emitter.removeListener(event, check);
      then();
    }
  };
  emitter.on(event, check);
  check();
}

const server = http.createServer((request, response) => {
  response.setHeader('Content-Type', 'text/plain');
  response.end('eureka-js-client instance');
});

server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  // No instanceId, no leaseInfo, no lastDirtyTimestamp: as eureka-js-client users usually register.
  const client = new Eureka({
    logger,
    instance: {
      app: APP,
      hostName: 'localhost',
      ipAddr: '127.0.0.1',
      port: { $: port, '@enabled': true },
      vipAddress: VIP,
      statusPageUrl: `http://localhost:${port}/`,
      healthCheckUrl: `http://localhost:${port}/`,
      homePageUrl: `http://localhost:${port}/`,
      dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
    },
    eureka: {
      // The credential in the URL goes to the server as HTTP Basic, with no code of ours.
      serviceUrls: { default: [`${serviceUrl.replace(/\/?$/, '/')}apps/`] },
      heartbeatInterval: 300,
      registryFetchInterval: 300,
      maxRetries: 0,
      preferSameZone: false,
    },
  });

  let heartbeats = 0;
  client.on('heartbeat', () => { heartbeats += 1; });

  client.start((error) => {
    if (error) {
      fail(`start (register and first fetch): ${error}`);
    }

    log('REGISTERED', `${APP}/${client.instanceId}`, 'port', port);
    when(client, 'heartbeat', () => heartbeats >= 3, 'three heartbeats answered 200', () => {
      log('HEARTBEATS', heartbeats);
      when(client, 'registryUpdated', () => client.getInstancesByVipAddress(dotnetVip).length > 0, `an instance of ${dotnetVip} in the registry`, () => {
        const instances = client.getInstancesByVipAddress(dotnetVip);
        log('SEES', JSON.stringify(instances.map((i) => ({ instanceId: i.instanceId, app: i.app, status: i.status, port: i.port }))));
        const dotnet = instances.find((i) => i.instanceId === dotnetInstanceId);
        if (!dotnet) {
          fail(`${dotnetInstanceId} is not among the ${dotnetVip} instances`);
        }
        if (dotnet.status !== 'UP' || typeof dotnet.port.$ !== 'number' || !(dotnet.port.$ > 0)) {
          fail(`${dotnetInstanceId} should be UP with a numeric port: ${JSON.stringify(dotnet)}`);
        }
        if (!client.getInstancesByVipAddress(VIP).some((i) => i.hostName === 'localhost' && i.port.$ === port)) {
          fail(`its own instance is not in the registry under ${VIP}`);
        }

        log('READY');
        const input = readline.createInterface({ input: process.stdin });
        input.on('line', (line) => {
          if (line.trim() !== 'DEREGISTER') {
            return;
          }
          client.stop((stopError) => {
            if (stopError) {
              fail(`deregister: ${stopError}`);
            }
            log('DEREGISTERED');
            input.close();
            server.close();
            process.exit(0);
          });
        });
      });
    });
  });
});

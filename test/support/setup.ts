import nock from 'nock';

// No test reaches the network; local fakes (fake Discord, PostgreSQL) live on loopback.
nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { awlAdjust } from '../../src/awl/awl';
import { addrListMessage, addressesInMail, addToBlocklist, addToWelcomelist, removeFromWelcomelist } from '../../src/awl/manage';
import { awlSettings } from '../../src/awl/settings';
import { openAwlStore } from '../../src/awl/stores/sqlite';
import type { AddrListStore } from '../../src/awl/store';
import { parseMessage } from '../../src/message/parse';
import { tempDir } from './helpers';

const conf = awlSettings({});
const dump = async (s: AddrListStore, email: string) => (await s.entries()).filter((e) => e.email === email).map((e) => `${e.ip} ${e.count} ${e.totalScore}`);

// Each expectation below is what SpamAssassin 4.0.1's DB_File AWL held after the same steps.
describe('welcomelist / blocklist management', () => {
  const t = tempDir();
  const store = openAwlStore(join(t.dir, 'awl.sqlite'));
  after(() => {
    store.close();
    t.done();
  });

  it('--add-addr-to-welcomelist: one entry without IP, count 1, total -100 (address lower-cased)', async () => {
    assert.equal(await addToWelcomelist(store, 'Good@X.com'), true);
    assert.deepEqual(await dump(store, 'good@x.com'), ['none 1 -100']);
  });
  it('--add-addr-to-blocklist: total +100', async () => {
    await addToBlocklist(store, 'bad@x.com');
    assert.deepEqual(await dump(store, 'bad@x.com'), ['none 1 100']);
  });
  it('adding again does not accumulate', async () => {
    await addToWelcomelist(store, 'good@x.com');
    assert.deepEqual(await dump(store, 'good@x.com'), ['none 1 -100']);
  });
  it('the first message from the address moves the entry to its network and is pulled hard', async () => {
    const r = await awlAdjust(store, { from: 'good@x.com', ip: '203.0.113.5' }, 5, conf);
    assert.equal(r?.mean, -100);
    assert.equal(r?.delta, -52.5);
    assert.deepEqual(await dump(store, 'good@x.com'), ['203.0 2 -95']);
    // Another network is a stranger again; the first keeps its history.
    assert.equal((await awlAdjust(store, { from: 'good@x.com', ip: '198.51.100.5' }, 5, conf))?.delta, 0);
    assert.equal((await awlAdjust(store, { from: 'good@x.com', ip: '203.0.113.5' }, 5, conf))?.delta, -26.25);
  });
  it('moving an ip=none entry drops the address\'s other entries', async () => {
    await awlAdjust(store, { from: 'e@x.com', ip: '198.51.100.5' }, 5, conf);
    await awlAdjust(store, { from: 'e@x.com', ip: undefined }, 1, conf);
    assert.deepEqual(await dump(store, 'e@x.com'), ['198.51 1 5', 'none 1 1']);
    assert.equal((await awlAdjust(store, { from: 'e@x.com', ip: '203.0.113.5' }, 1, conf))?.mean, 1);
    assert.deepEqual(await dump(store, 'e@x.com'), ['203.0 2 2']);
  });
  it('adding an address with per-network entries replaces them all', async () => {
    await addToWelcomelist(store, 'good@x.com');
    assert.deepEqual(await dump(store, 'good@x.com'), ['none 1 -100']);
  });
  it('--remove-addr-from-welcomelist drops every entry of the address; an unknown address is fine', async () => {
    await awlAdjust(store, { from: 'rm@x.com', ip: '203.0.113.5' }, 5, conf);
    await awlAdjust(store, { from: 'rm@x.com', ip: '198.51.100.5' }, 5, conf);
    assert.equal(await removeFromWelcomelist(store, 'RM@x.com'), true);
    assert.deepEqual(await dump(store, 'rm@x.com'), []);
    assert.equal(await removeFromWelcomelist(store, 'nobody@x.com'), true);
    assert.equal(await removeFromWelcomelist(store, '  '), false);
  });
  it('the lines spamassassin prints', async () => {
    assert.equal(addrListMessage('welcome', 'Good@X.com'), 'SpamAssassin auto-welcomelist: adding address to welcomelist: Good@X.com');
    assert.equal(addrListMessage('block', 'b@x.com'), 'SpamAssassin auto-welcomelist: adding address to blocklist: b@x.com');
    assert.equal(addrListMessage('remove', 'r@x.com'), 'SpamAssassin auto-welcomelist: removing address: r@x.com');
  });
});

describe('addressesInMail (-W, --add-to-blocklist, -R)', () => {
  it('reads the headers SpamAssassin reads, in its order, then the body (not the Subject)', async () => {
    const raw = [
      'From: A <from@x.com>', 'To: to@x.com, to2@x.com', 'Cc: cc@x.com', 'Reply-To: rt@x.com', 'Sender: sender@x.com',
      'Errors-To: et@x.com', 'Mail-Followup-To: mft@x.com', 'Return-Path: <rp@x.com>', 'Resent-From: rf@x.com', 'Bcc: bcc@x.com',
      'X-Foo: xfoo@x.com', 'Subject: subj@x.com', '', 'body body@x.com and FROM@x.com again', '',
    ].join('\n');
    // SpamAssassin 4.0.1 -W on this message added exactly these, in this order.
    assert.deepEqual(addressesInMail(parseMessage(Buffer.from(raw))), [
      'to@x.com', 'to2@x.com', 'from@x.com', 'cc@x.com', 'rt@x.com', 'sender@x.com', 'et@x.com', 'mft@x.com', 'body@x.com',
    ]);
  });
});

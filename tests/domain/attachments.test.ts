import assert from 'node:assert/strict';
import { describeNotPassedOn } from '../../bot/messages/words.js';
import { isPlatformHostedFile, MAX_FILES_PER_MESSAGE, sortAttachments, TEAMS_FILE } from '../../bot/domain/attachments.js';

const DOWNLOAD = 'https://contoso-my.sharepoint.com/personal/lerato_contoso_com/_layouts/15/download.aspx?UniqueId=1150d938&tempauth=abc';
const CONTENT = 'https://contoso-my.sharepoint.com/personal/lerato_contoso_com/Documents/Microsoft%20Teams%20Chat%20Files/meter.jpg';
const teamsFile = (name: string, downloadUrl: string, contentUrl = CONTENT) => ({ contentType: TEAMS_FILE, contentUrl, name, content: { downloadUrl, uniqueId: '1150D938', fileType: name.split('.').pop() } });

describe('attachments: only files the platform hosts are links (issue 12 item 8, issue 14 item 6)', () => {
  it('links only https addresses on the tenant\'s SharePoint or OneDrive, with no credentials or port', () => {
    for (const url of [DOWNLOAD, CONTENT, 'https://contoso.sharepoint.com/sites/finance/Shared%20Documents/bill.pdf']) assert.equal(isPlatformHostedFile(url), true, url);
    for (const url of [
      'https://files.example.org/statement.pdf', // any other site
      'http://contoso-my.sharepoint.com/x.pdf', // not https
      'https://contoso-my.sharepoint.com.evil.example/x.pdf', // a look-alike host
      'https://evil.example/?u=https://contoso.sharepoint.com/x', // SharePoint only in the query
      'https://user:pw@contoso.sharepoint.com/x.pdf', // credentials
      'https://contoso.sharepoint.com:8443/x.pdf', // a port
      'https://sharepoint.com/x.pdf', // no tenant
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'https://smba.trafficmanager.net/za/v3/attachments/0-eus-d1/views/original', // needs the bot's token: staff cannot open it
      'not a url',
      '',
      undefined,
    ])
      assert.equal(isPlatformHostedFile(url), false, String(url));
  });

  it('keeps a Teams file (download info) as a link, preferring its download URL, with its name and type', () => {
    assert.deepEqual(sortAttachments([teamsFile('meter.jpg', DOWNLOAD)]), { files: [{ name: 'meter.jpg', contentType: 'jpg', url: DOWNLOAD }], notPassedOn: [] });
  });

  it('passes on no file whose addresses are elsewhere (the phishing route), and says so', () => {
    assert.deepEqual(sortAttachments([teamsFile('statement.pdf', 'https://files.example.org/statement.pdf', 'https://files.example.org/statement.pdf')]), {
      files: [],
      notPassedOn: ['file from elsewhere'],
    });
    assert.deepEqual(sortAttachments([{ contentType: 'application/pdf', contentUrl: 'https://evil.example/bill.pdf', name: 'bill.pdf' }]).notPassedOn, ['file from elsewhere']);
  });

  it('a GIF (a text/html attachment with a picture only) and a pasted picture are named, each once; Teams\' HTML copy of the text is not an attachment', () => {
    assert.deepEqual(sortAttachments([{ contentType: 'text/html', content: '<p>Hello</p>' }]), { files: [], notPassedOn: [] });
    assert.deepEqual(sortAttachments([{ contentType: 'text/html', content: '<div><img src="https://media.giphy.com/media/x/giphy.gif" alt="GIF"></div>' }]).notPassedOn, ['gif']);
    const pasted = [
      { contentType: 'image/png', contentUrl: 'https://smba.trafficmanager.net/za/v3/attachments/0-eus/views/original' },
      { contentType: 'text/html', content: '<p>my meter <img src="https://eu-api.asm.skype.com/v1/objects/0-eus/views/imgo"></p>' },
    ];
    assert.deepEqual(sortAttachments(pasted).notPassedOn, ['picture']);
  });

  it('voice and video clips, cards and unknown kinds are named too; beyond 10 files in one message, the rest are said not passed on', () => {
    assert.deepEqual(sortAttachments([{ contentType: 'audio/ogg', contentUrl: 'https://smba.trafficmanager.net/x' }, { contentType: 'video/mp4', contentUrl: 'https://x' }]).notPassedOn, ['voice or video', 'voice or video']);
    assert.deepEqual(sortAttachments([{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } }]).notPassedOn, ['other']);
    const many = Array.from({ length: MAX_FILES_PER_MESSAGE + 2 }, (_, i) => teamsFile(`page-${i + 1}.pdf`, DOWNLOAD));
    const sorted = sortAttachments(many);
    assert.equal(sorted.files.length, MAX_FILES_PER_MESSAGE);
    assert.deepEqual(sorted.notPassedOn, ['other', 'other']);
  });

  it('describes what was not passed on in a sentence', () => {
    assert.equal(describeNotPassedOn('en', ['gif']), 'a GIF or sticker');
    assert.equal(describeNotPassedOn('en', ['picture', 'picture', 'voice or video']), '2 pictures pasted into the message and a voice or video clip');
    assert.equal(describeNotPassedOn('en', ['picture', 'gif', 'file from elsewhere']), 'a picture pasted into the message, a GIF or sticker and a file or link from outside Teams');
  });
});

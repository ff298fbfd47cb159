import { $, api, failSafely, hub, hubCommand } from '../shared/app';
import { hangUp, joinCall } from '../shared/call/call-view';
import { onLanguageChange, t } from '../shared/i18n';
import { fillList } from '../shared/lists';

/** An open consultation this doctor was added to by its consulting doctor (GET /api/consultations/invited). */
export interface Invitation { consultationId: string; token: number; doctorId: string; doctorName: string; invitedAt: string }

interface ChatMessage { consultationId: string; messageId: string; from: string; text: string }

let invitations: Invitation[] | undefined;

onLanguageChange(renderInvitations);

/** Lists the rooms this doctor is invited to, and adds new invitations as the hub pushes them. */
export async function watchInvitations() {
  hub('consultation').on('InvitedToConsultation', (invitation: Invitation) => {
    invitations = [invitation, ...(invitations ?? []).filter(i => i.consultationId !== invitation.consultationId)];
    renderInvitations();
  });
  invitations = await api.get<Invitation[]>('/api/consultations/invited');
  renderInvitations();
}

function renderInvitations() {
  if (!invitations) return;
  fillList($('invitations'), invitations.map(invitation => {
    const item = document.createElement('li');
    const join = Object.assign(document.createElement('button'), {
      type: 'button', textContent: t('doctor.joinRoom', { token: invitation.token, doctor: invitation.doctorName }),
    });
    join.dataset.consultation = invitation.consultationId;
    join.addEventListener('click', () => void failSafely(() => joinAsStaff(invitation)));
    item.append(join);
    return item;
  }), t('doctor.invitationsEmpty'));
}

/**
 * Joins the room's call (a peer connection to the doctor and one to the patient, on the call screen) and its chat, shown
 * here with names. Leaving hangs up only this colleague: the doctor and the patient carry on.
 */
async function joinAsStaff(invitation: Invitation) {
  const id = invitation.consultationId;
  const consultation = await api.get<{ doctorId: string; patientId: string; patient?: { name: string } }>(`/api/consultations/${id}`);
  const names = new Map([[consultation.doctorId, invitation.doctorName], [consultation.patientId, consultation.patient?.name ?? '']]);
  const log = $('staff-chat-log');
  const append = (text: string) => log.append(Object.assign(document.createElement('li'), { textContent: text }));
  const onChat = (message: ChatMessage) => {
    if (message.consultationId !== id) return;
    // The call acknowledges it (delivered, and read once the page is in front of them).
    append(t('doctor.chatFrom', { name: names.get(message.from) || t('doctor.someoneInRoom'), text: message.text }));
  };
  hub('consultation').on('ChatMessage', onChat);
  // However the call ends here (this panel's Leave, the call screen's Hang up, the connection gone), the panel says so.
  const left = () => {
    hub('consultation').off('ChatMessage', onChat);
    $('staff-room-status').textContent = t('doctor.leftRoom');
    $<HTMLButtonElement>('staff-chat-send').disabled = true;
  };
  try {
    await joinCall(id, 'staff', left);
  } catch (error) {
    hub('consultation').off('ChatMessage', onChat);
    throw error;
  }
  log.replaceChildren();
  $('staff-room').hidden = false;
  $('staff-room-status').textContent = t('doctor.staffRoomJoined');
  $<HTMLButtonElement>('staff-chat-send').disabled = false;
  $<HTMLInputElement>('staff-chat-text').focus();
  $('staff-chat-send').onclick = () => void failSafely(async () => {
    const input = $<HTMLInputElement>('staff-chat-text');
    const text = input.value.trim();
    if (!text) return;
    await hubCommand('consultation', 'SendChat', id, crypto.randomUUID(), text);
    append(t('doctor.chatYou', { text }));
    input.value = '';
  });
  $('staff-room-leave').onclick = () => void failSafely(hangUp);
}
